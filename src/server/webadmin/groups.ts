// Seed 002 › Creating address group, over x:MailingList (mail to it goes to every recipient):
//   GET /address/groups                    every list's address, sorted
//   GET /address/groups/{g}                its recipients, sorted (404 when there is no such group)
//   PUT /address/groups/{g}/{member}       adds the member, making the list on its first member
//                                          (403 when g's domain is not ours, 409 when g is taken)
//   DELETE /address/groups/{g}/{member}    removes it, and the list with its last member

import { ownedDomain, parseAddress, pointer, setMembers, type Address } from './addresses';
import type { Calls, Rec } from './calls';
import { conflict, fromSetError, invalid, notFound } from './errors';
import { noContent, ok, type Route } from './router';
import type { SetError } from '../../shared/jmap/errors';

export const LIST = 'x:MailingList';

/** The list with exactly this address, or null (looked up by the whole address, which few others contain). */
function findList(calls: Calls, a: Address): Rec | null {
  return calls.find(LIST, { emailAddress: a.address }, ['emailAddress', 'recipients']).find((l) => l.emailAddress === a.address) ?? null;
}

/** A refusal of the list write: a taken address is 409, a bad member 400. */
function listError(group: Address, member: Address) {
  return (e: SetError) => {
    if (e.type === 'primaryKeyViolation') return conflict(`Requested group address ${group.address} is already used for another purpose`, e.description ?? null);
    if (e.type === 'validationFailed' || e.type === 'invalidProperties') {
      const onMembers = (e.properties ?? []).some((p) => p.startsWith('recipients'));
      return fromSetError(onMembers ? `The group member ${member.address} is not valid` : `The group address ${group.address} is not valid`, e);
    }
    return null;
  };
}

export function groupRoutes(): Route[] {
  return [
    {
      method: 'GET',
      path: '/address/groups',
      handler: ({ calls }) => {
        const ids = calls.queryAll(LIST);
        return ok(calls.getMany(LIST, ids, ['emailAddress']).map((l) => String(l.emailAddress)).sort());
      },
    },
    {
      method: 'GET',
      path: '/address/groups/:group',
      handler: ({ params, calls }) => {
        const group = parseAddress(params.group, 'group');
        const list = findList(calls, group);
        if (!list) throw notFound('The group does not exist', `No group has the address ${group.address}`);
        return ok(setMembers(list.recipients));
      },
    },
    {
      method: 'PUT',
      path: '/address/groups/:group',
      handler: () => {
        throw invalid('A group member needs to be given in the path', 'Use PUT /address/groups/{group}/{member}');
      },
    },
    {
      method: 'PUT',
      path: '/address/groups/:group/:member',
      handler: ({ params, calls }) => {
        const group = parseAddress(params.group, 'group');
        const member = parseAddress(params.member, 'group member');
        const domain = ownedDomain(calls, group, 'group');
        const list = findList(calls, group);
        const mapError = listError(group, member);
        if (!list) {
          calls.create(LIST, { name: group.local, domainId: domain.id, recipients: { [member.address]: true } }, `The group ${group.address} cannot be created`, mapError);
        } else if (!setMembers(list.recipients).includes(member.address)) {
          calls.update(LIST, list.id, { [`recipients/${pointer(member.address)}`]: true }, `${member.address} cannot be added to ${group.address}`, mapError);
        }
        return noContent();
      },
    },
    {
      method: 'DELETE',
      path: '/address/groups/:group/:member',
      handler: ({ params, calls }) => {
        const group = parseAddress(params.group, 'group');
        const member = parseAddress(params.member, 'group member');
        const list = findList(calls, group);
        const members = setMembers(list?.recipients);
        if (!list || !members.includes(member.address)) return noContent();
        if (members.length === 1) calls.destroy(LIST, list.id, `The group ${group.address} cannot be removed`);
        else calls.update(LIST, list.id, { [`recipients/${pointer(member.address)}`]: null }, `${member.address} cannot be removed from ${group.address}`);
        return noContent();
      },
    },
  ];
}
