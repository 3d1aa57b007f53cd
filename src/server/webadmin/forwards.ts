// Seed 002 › Creating address forwards, over x:AddressForward (a Postern extension: mail to a
// user's address goes to every destination; the address itself among them keeps a copy):
//   GET /address/forwards                           every forwarded user address, sorted
//   GET /address/forwards/{u}                       [{"mailAddress": d}] sorted (404 without forwards)
//   PUT /address/forwards/{u}/targets/{dest}        adds dest, making the forward on the first one
//                                                   (403 when u's domain is not ours, 404 when u is not a user)
//   DELETE /address/forwards/{u}/targets/{dest}     removes dest, and the forward with its last one

import type { SetError } from '../../shared/jmap/errors';
import { ownedDomain, parseAddress, pointer, setMembers, type Address } from './addresses';
import type { Calls, Rec } from './calls';
import { fromSetError, invalid, notFound } from './errors';
import { noContent, ok, type Route } from './router';
import { findUser } from './users';

export const FORWARD = 'x:AddressForward';

function findForward(calls: Calls, a: Address): Rec | null {
  return calls.find(FORWARD, { address: a.address }, ['address', 'destinations']).find((f) => String(f.address).toLowerCase() === a.address) ?? null;
}

function forwardError(base: Address, dest: Address) {
  return (e: SetError) => {
    const onDestinations = (e.properties ?? []).some((p) => p.startsWith('destinations'));
    if (e.type === 'validationFailed' || e.type === 'invalidProperties') {
      return fromSetError(onDestinations ? `The forward destination ${dest.address} is not valid` : `The forward address ${base.address} is not valid`, e);
    }
    return null;
  };
}

const needsTarget = () => {
  throw invalid('A destination address needs to be given in the path', 'Use /address/forwards/{address}/targets/{destination}');
};

export function forwardRoutes(): Route[] {
  return [
    {
      method: 'GET',
      path: '/address/forwards',
      handler: ({ calls }) => {
        const ids = calls.queryAll(FORWARD);
        return ok(calls.getMany(FORWARD, ids, ['address']).map((f) => String(f.address)).sort());
      },
    },
    {
      method: 'GET',
      path: '/address/forwards/:address',
      handler: ({ params, calls }) => {
        const base = parseAddress(params.address, 'forward');
        const forward = findForward(calls, base);
        if (!forward) throw notFound('The forward does not exist', `${base.address} has no forwards, or is not a user`);
        return ok(setMembers(forward.destinations).map((mailAddress) => ({ mailAddress })));
      },
    },
    { method: 'PUT', path: '/address/forwards/:address', handler: needsTarget },
    { method: 'DELETE', path: '/address/forwards/:address', handler: needsTarget },
    {
      method: 'PUT',
      path: '/address/forwards/:address/targets/:destination',
      handler: ({ params, calls }) => {
        const base = parseAddress(params.address, 'forward');
        const domain = ownedDomain(calls, base, 'forward');
        if (!findUser(calls, base.local, domain)) {
          throw notFound('Requested forward address does not match an existing user', `No user has the address ${base.address}: a forward is for a user's own address (make a group for other addresses)`);
        }
        const dest = parseAddress(params.destination, 'forward destination');
        const forward = findForward(calls, base);
        const mapError = forwardError(base, dest);
        if (!forward) {
          calls.create(FORWARD, { address: base.address, destinations: { [dest.address]: true } }, `The forward of ${base.address} cannot be created`, mapError);
        } else if (!setMembers(forward.destinations).includes(dest.address)) {
          calls.update(FORWARD, forward.id, { [`destinations/${pointer(dest.address)}`]: true }, `${dest.address} cannot be added to the forward of ${base.address}`, mapError);
        }
        return noContent();
      },
    },
    {
      method: 'DELETE',
      path: '/address/forwards/:address/targets/:destination',
      handler: ({ params, calls }) => {
        const base = parseAddress(params.address, 'forward');
        const dest = parseAddress(params.destination, 'forward destination');
        const forward = findForward(calls, base);
        const destinations = setMembers(forward?.destinations);
        if (!forward || !destinations.includes(dest.address)) return noContent();
        if (destinations.length === 1) calls.destroy(FORWARD, forward.id, `The forward of ${base.address} cannot be removed`);
        else calls.update(FORWARD, forward.id, { [`destinations/${pointer(dest.address)}`]: null }, `${dest.address} cannot be removed from the forward of ${base.address}`);
        return noContent();
      },
    },
  ];
}
