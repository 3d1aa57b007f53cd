// Management › Directory › Forwards: x:AddressForward, a Postern extension for James's
// address forwards (seed 002; Stalwart 0.16 has no such object). Mail to a user's address
// goes to every destination; the address itself among the destinations keeps a copy in the
// user's mailbox.

import type { SetError } from '../../shared/jmap/errors';
import { validationFailed } from '../../shared/jmap/errors';
import { ascending, labelled, listPage } from './builders';
import { accountPermissions } from '../auth/permissions';
import type { ObjectDef, WriteContext } from './define';
import { outranks } from './directory';
import { nonAsciiErrors } from './domains';

type Obj = Record<string, unknown>;

/**
 * Whoever forwards a user's mail reads it: only a caller who holds every permission of that
 * user (the rule that guards changing the account itself) may create, change or remove it.
 */
function guardsMail(ctx: WriteContext, address: string): SetError | null {
  const accountId = ctx.store.findBy('x:Account', 'emailAddress', address);
  const account = accountId ? ctx.store.get('x:Account', accountId) : null;
  return account ? outranks(ctx, `Account "${address}" (whose mail a forward takes)`, accountPermissions(ctx.store, account)) : null;
}

/** Lower-cases the address and destinations (in place); the address must be a user's own. */
function check(ctx: WriteContext, id: string, next: Obj, prev: Obj | null): SetError | null {
  const given = Object.keys((next.destinations as Obj | undefined) ?? {});
  const ascii = [...(prev ? [] : nonAsciiErrors('address', [String(next.address)])), ...nonAsciiErrors('destinations', given)];
  if (ascii.length) return validationFailed(ascii);
  const destinations: Obj = {};
  for (const d of Object.keys((next.destinations as Obj | undefined) ?? {})) destinations[d.toLowerCase()] = true;
  next.destinations = destinations;
  if (prev) return guardsMail(ctx, String(prev.address)); // the address is fixed once created
  const address = String(next.address).toLowerCase();
  next.address = address;
  const accountId = ctx.store.findBy('x:Account', 'emailAddress', address);
  if (!accountId || ctx.store.get('x:Account', accountId)?.['@type'] !== 'User') {
    return validationFailed([
      {
        type: 'Invalid',
        property: 'address',
        description: `No user has the address ${address}: a forward is for an existing user's address (for other addresses, make a mailing list)`,
        value: address,
      },
    ]);
  }
  const refused = guardsMail(ctx, address);
  if (refused) return refused;
  const other = ctx.store.findBy('x:AddressForward', 'address', address, id);
  if (other) {
    return {
      type: 'primaryKeyViolation',
      description: `Mail to ${address} is already forwarded: add destinations to that forward`,
      properties: ['address'],
      objectId: { object: 'x:AddressForward', id: other },
    };
  }
  return null;
}

export const addressForward: ObjectDef = {
  name: 'x:AddressForward',
  description:
    'Postern extension (Stalwart 0.16 has no such object): forwards the mail of a user\u2019s address to other addresses. Give the address itself among the destinations to keep a copy.',
  permissionPrefix: 'sysAddressForward',
  fields: {
    properties: {
      address: {
        description: 'The address of an existing user whose mail is forwarded',
        type: { type: 'string', format: 'emailAddress' },
        update: 'immutable',
      },
      destinations: {
        description: 'Where the mail goes; include the address itself to keep a copy in the user\u2019s mailbox',
        type: { type: 'set', class: { type: 'string', format: 'emailAddress' }, minItems: 1 },
        update: 'mutable',
      },
    },
  },
  unique: ['address'],
  indexed: ['address'],
  check,
  checkDestroy: (ctx, _id, prev) => guardsMail(ctx, String(prev.address)),
  form: {
    title: 'Forward',
    subtitle: 'Mail to a user\u2019s address goes to every destination',
    sections: [{ title: 'Forward', fields: labelled({ address: 'Address', destinations: 'Destinations' }) }],
  },
  list: listPage({
    title: 'Forwards',
    subtitle: 'Users whose mail is forwarded',
    singularName: 'forward', pluralName: 'forwards',
    labelProperty: 'address',
    columns: labelled({ address: 'Address', destinations: 'Destinations' }),
    filters: [{ type: 'text', field: 'address', label: 'Address' }],
    sort: ascending('address'),
  }),
};
