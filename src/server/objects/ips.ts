// x:AllowedIp (seed 004) and x:BlockedIp: addresses that are never blocked, or always refused.

import type { EnumValue, FieldsEntry } from '../../shared/schema/types';
import { parseIpMask, maskContains } from '../../shared/ipmask';
import { propExpr } from '../store/records';
import { ascending, labelled, listPage } from './builders';
import type { ObjectDef } from './define';

import { utcDateTime } from '../../shared/schema/validate';

/** Stalwart's BlockReason: why an address is blocked. */
export const BLOCK_REASONS: EnumValue[] = [
  { name: 'rcptToFailure', label: 'Excessive failed RCPT TO commands' },
  { name: 'authFailure', label: 'Excessive failed authentication attempts' },
  { name: 'loitering', label: 'Excessive loitering connections' },
  { name: 'portScanning', label: 'Excessive port scanning attempts' },
  { name: 'manual', label: 'Manually blocked IP address' },
  { name: 'other', label: 'Other reason' },
];

// Stalwart 0.16's fields; an allowance's reason is free text, a block's is a BlockReason
// with a free-text description beside it (a Postern extension).
function ipFields(verb: 'allow' | 'block'): FieldsEntry {
  const why: FieldsEntry['properties'] =
    verb === 'allow'
      ? {
          reason: {
            description: 'The reason for allowing this IP address',
            type: { type: 'string', format: 'string', nullable: true, maxLength: 1024 },
            update: 'mutable',
          },
        }
      : {
          reason: { description: 'The reason for blocking this IP address', type: { type: 'enum', enumName: 'BlockReason' }, update: 'mutable' },
          description: {
            description: 'Postern extension: a note on this block (what happened, who asked for it)',
            type: { type: 'string', format: 'string', nullable: true, maxLength: 1024 },
            update: 'mutable',
          },
        };
  return {
    properties: {
      address: {
        description: `The IP address or mask to ${verb}`,
        type: { type: 'string', format: 'ipNetwork' },
        update: 'immutable',
      },
      ...why,
      createdAt: {
        description: `The date and time when this IP address was ${verb}ed`,
        type: { type: 'utcDateTime' },
        update: 'serverSet',
      },
      expiresAt: {
        description: `The date and time when this IP address ${verb === 'allow' ? 'allowance' : 'block'} will expire`,
        type: { type: 'utcDateTime', nullable: true },
        update: 'mutable',
      },
      status: {
        description: `Whether the ${verb === 'allow' ? 'allowance' : 'block'} is in force now or has expired`,
        type: { type: 'enum', enumName: 'IpListStatus' },
        update: 'serverSet',
      },
    },
    ...(verb === 'block' ? { defaults: { reason: 'manual', description: null } } : {}),
  };
}

function ipDef(name: string, verb: 'allow' | 'block', title: string, singular: string): ObjectDef {
  return {
    name,
    description: `Defines ${verb === 'allow' ? 'an allowed' : 'a blocked'} IP address or network range.`,
    permissionPrefix: `sys${name.slice(2)}`,
    fields: ipFields(verb),
    unique: ['address'],
    indexed: ['address', 'createdAt', 'expiresAt', ...(verb === 'block' ? ['reason'] : [])],
    computed: {
      status: (data, now) => (typeof data.expiresAt === 'string' && Date.parse(data.expiresAt) <= now ? 'expired' : 'active'),
    },
    computedSql: {
      status: `CASE WHEN coalesce(${propExpr('expiresAt')} <= strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), 0) THEN 'expired' ELSE 'active' END`,
    },
    enums: {
      IpListStatus: [
        { name: 'active', label: 'Active', explanation: 'In force now', color: 'green' },
        { name: 'expired', label: 'Expired', explanation: 'Past its expiry date: no longer in force', color: 'gray' },
      ],
      ...(verb === 'block' ? { BlockReason: BLOCK_REASONS } : {}),
    },
    onCreate(value) {
      value.createdAt = utcDateTime();
    },
    // Lock-out safety: nobody blocks the address they are working from.
    check:
      verb === 'block'
        ? (ctx, _id, next, prev) => {
            const mask = parseIpMask(String(next.address));
            if (prev || !ctx.clientIp || !mask.ok || !maskContains(mask.mask, ctx.clientIp)) return null;
            return {
              type: 'forbidden',
              description: `${next.address} contains ${ctx.clientIp}, the address you are using: you would lock yourself out`,
              properties: ['address'],
            };
          }
        : undefined,
    form: {
      title: singular,
      subtitle: verb === 'allow'
        ? 'Addresses in an allowed network are never blocked, whatever they do.'
        : 'Requests from a blocked network are refused.',
      sections: [
        {
          title: 'Address',
          fields: [
            { name: 'address', label: 'IP address or network', placeholder: '192.0.2.0/24' },
            { name: 'reason', label: 'Reason' },
            ...(verb === 'block' ? [{ name: 'description', label: 'Note' }] : []),
            { name: 'expiresAt', label: 'Expires at' },
            { name: 'createdAt', label: `${verb === 'allow' ? 'Allowed' : 'Blocked'} at` },
            { name: 'status', label: 'Status' },
          ],
        },
      ],
    },
    list: listPage({
      title,
      subtitle: verb === 'allow' ? 'IP addresses and networks that are never blocked' : 'IP addresses and networks that are refused',
      // "allowed IP", not "allowed ip": only the first letter follows the sentence.
      singularName: singular[0].toLowerCase() + singular.slice(1),
      pluralName: title[0].toLowerCase() + title.slice(1),
      labelProperty: 'address',
      columns: labelled({ address: 'Address', status: 'Status', reason: 'Reason', createdAt: 'Created', expiresAt: 'Expires' }),
      filters: [
        { type: 'text', field: 'address', label: 'Address' },
        { type: 'enum', field: 'status', label: 'Status', enumName: 'IpListStatus' },
        ...(verb === 'block' ? [{ type: 'enum' as const, field: 'reason', label: 'Reason', enumName: 'BlockReason' }] : []),
      ],
      sort: ascending('address'),
      // Removing a block is the point of the Blocked IPs page: say so on the button.
      deleteLabel: verb === 'block' ? 'Unblock' : undefined,
    }),
  };
}

export const allowedIp = ipDef('x:AllowedIp', 'allow', 'Allowed IPs', 'Allowed IP');
export const blockedIp = ipDef('x:BlockedIp', 'block', 'Blocked IPs', 'Blocked IP');
