// Seed 002 › Administrating domains, over x:Domain:
//   PUT /domains/{d}     create (204; an existing domain stays as it is)
//   DELETE /domains/{d}  destroy (204, also when there is no such domain, as James does;
//                        409 while accounts, lists or forwards still use it, as Stalwart refuses)
//   GET /domains/{d}     204 when it exists, 404 otherwise
//   GET /domains         {"domains": [names]} sorted by name

import type { Calls, Rec } from './calls';
import { conflict, invalid, notFound } from './errors';
import { noContent, ok, type Route } from './router';

export const DOMAIN = 'x:Domain';

/** James compares domains ignoring case and stores them lower-cased. */
export const domainName = (raw: string) => raw.toLowerCase();

/** The x:Domain named exactly `name` (lower-case), or null. */
export function findDomain(calls: Calls, name: string): Rec | null {
  // A name filter matches anywhere in the name: the exact one is picked from the few it finds.
  return calls.find(DOMAIN, { name }, ['name', 'aliases']).find((d) => d.name === name) ?? null;
}

/** The domain that has `name` among its aliases, or null. */
export function domainWithAlias(calls: Calls, name: string): Rec | null {
  return calls.find(DOMAIN, { aliases: name }, ['name', 'aliases']).find((d) => Object.hasOwn((d.aliases ?? {}) as object, name)) ?? null;
}

/** What uses a domain, by address where the record has one: "alice@example.test (x:Account), …". */
function linkedAddresses(calls: Calls, linked: { object: string; id: string }[]): string {
  const shown = linked.slice(0, 5).map((l) => {
    try {
      const [rec] = calls.getMany(l.object, [l.id], ['emailAddress']);
      return `${String(rec?.emailAddress ?? l.id)} (${l.object})`;
    } catch {
      return `${l.object} ${l.id}`; // a type without addresses, or one the caller may not read
    }
  });
  return shown.join(', ') + (linked.length > 5 ? ` and ${linked.length - 5} more` : '');
}

export function domainRoutes(): Route[] {
  return [
    {
      method: 'PUT',
      path: '/domains',
      handler: () => {
        throw invalid('The domain name is invalid', 'A domain name cannot be empty: PUT /domains/{domain}');
      },
    },
    {
      method: 'PUT',
      path: '/domains/:domain',
      handler: ({ params, calls }) => {
        const name = domainName(params.domain);
        if (findDomain(calls, name)) return noContent();
        calls.create(DOMAIN, { name }, `The domain name ${JSON.stringify(params.domain)} is invalid`, (e) =>
          e.type === 'primaryKeyViolation' ? conflict(`${name} is already used`, e.description ?? null) : null,
        );
        return noContent();
      },
    },
    {
      method: 'DELETE',
      path: '/domains/:domain',
      handler: ({ params, calls }) => {
        const found = findDomain(calls, domainName(params.domain));
        if (!found) return noContent();
        calls.destroy(DOMAIN, found.id, `The domain ${found.name} cannot be removed`, (e) =>
          e.type === 'objectIsLinked'
            ? conflict(`The domain ${found.name} is still in use: remove its users, groups and addresses first`, `Still used by ${linkedAddresses(calls, e.linkedObjects ?? [])}`)
            : null,
        );
        return noContent();
      },
    },
    {
      method: 'GET',
      path: '/domains/:domain',
      handler: ({ params, calls }) => {
        const name = domainName(params.domain);
        if (findDomain(calls, name)) return noContent();
        throw notFound('The domain does not exist', `${name} is not a domain of this server`);
      },
    },
    {
      method: 'GET',
      path: '/domains',
      handler: ({ calls }) => {
        const ids = calls.queryAll(DOMAIN, undefined, [{ property: 'name' }]);
        return ok({ domains: calls.getMany(DOMAIN, ids, ['name']).map((d) => d.name) });
      },
    },
  ];
}
