// The checkpassword program Dovecot runs for every login and every userdb lookup
// (passdb and userdb driver checkpassword). It is a few lines of Node with no
// dependencies, written into the service directory by the Dovecot driver, that asks
// Postern over auth.sock (authSocket.ts) and answers Dovecot as the protocol says:
//
// - fd 3 carries `user \0 password \0 timestamp \0` (timestamp empty; for a userdb or
//   passdb lookup Dovecot sets AUTHORIZED=1 and the password is empty).
// - Login refused: exit 1. Lookup of an unknown user: exit 3. Temporary trouble
//   (Postern unreachable, timeout): exit 111, Dovecot answers "try again later".
// - Success: run argv[1] (Dovecot's checkpassword-reply) with USER (the canonical
//   address, so an alias logs into its account), HOME, userdb_uid and userdb_gid named
//   in EXTRA, and ORIG_UID passed through (checkpassword-reply refuses to run without
//   it); for a lookup also AUTHORIZED=2. It writes `key=value` TAB-separated fields to
//   fd 4 and exits 0 for a login, 2 for a lookup; that status is ours.
//
// Dovecot passes the client's address as TCPREMOTEIP, and the service as SERVICE.

import fs from 'node:fs';
import { runningAsRoot, systemGroupId } from './daemonAccess';

const TIMEOUT_MS = 8000;

/** The program text: `#!<node>` then plain CommonJS (a .cjs file: no package.json decides its type). */
export function checkpasswordScript(socketPath: string, nodePath = process.execPath): string {
  if (/[\s]/.test(nodePath)) throw new Error(`The Node binary's path ${JSON.stringify(nodePath)} has white space: a #! line cannot run it`);
  return `#!${nodePath}
'use strict';
// Written by Postern: Dovecot's checkpassword program, asking Postern (auth.sock).
// Do not edit: it is rewritten every time the IMAP service starts.
const fs = require('node:fs');
const net = require('node:net');
const { spawnSync } = require('node:child_process');
const SOCKET = ${JSON.stringify(socketPath)};
const lookup = process.env.AUTHORIZED === '1';
const temporary = (why) => { process.stderr.write('postern checkpassword: ' + why + '\\n'); process.exit(111); };
setTimeout(() => temporary('no answer from ' + SOCKET), ${TIMEOUT_MS}).unref();
let input;
try { input = fs.readFileSync(3); } catch (e) { temporary('cannot read fd 3: ' + e.message); }
const [user = '', password = ''] = input.toString('utf8').split('\\0');
if (lookup && process.env.CREDENTIALS_LOOKUP === '1') temporary('credentials lookups are not supported');
const request = lookup ? { op: 'lookup', user } : { op: 'login', user, password, ip: process.env.TCPREMOTEIP || '', service: process.env.SERVICE || '' };
const socket = net.connect(SOCKET);
let text = '';
socket.setEncoding('utf8');
socket.on('error', (e) => temporary(e.message));
socket.on('data', (d) => { text += d; if (text.length > 65536) socket.destroy(new Error('answer too long')); });
socket.on('connect', () => socket.write(JSON.stringify(request) + '\\n'));
socket.on('end', () => {
  let a;
  try { a = JSON.parse(text); } catch { temporary('unreadable answer'); }
  if (!a || typeof a !== 'object') temporary('unreadable answer');
  if (a.result === 'unknown') process.exit(lookup ? 3 : 1);
  if (a.result === 'refused') process.exit(lookup ? 3 : 1);
  if (a.result !== 'ok') temporary('answer ' + a.result);
  const values = [a.user, a.home, String(a.uid), String(a.gid)];
  if (values.some((v) => typeof v !== 'string' || v === '' || /[\\0-\\x1f]/.test(v))) temporary('bad fields in the answer');
  const reply = process.argv[2];
  if (!reply) temporary('run by Dovecot, with checkpassword-reply as its argument');
  const env = { ORIG_UID: process.env.ORIG_UID || '', USER: a.user, HOME: a.home, userdb_uid: String(a.uid), userdb_gid: String(a.gid), EXTRA: 'userdb_uid userdb_gid' };
  // Extra userdb fields (quota limits, …), passed as userdb_<name> like uid and gid.
  for (const [k, v] of Object.entries(a.fields && typeof a.fields === 'object' ? a.fields : {})) {
    // Never one of the fields set above (user, home, uid, gid), nor anything with a TAB or newline in it.
    if (!/^[a-z][a-z0-9_]*$/.test(k) || ['user', 'home', 'uid', 'gid'].includes(k) || typeof v !== 'string' || /[\\0-\\x1f]/.test(v)) temporary('bad extra field in the answer');
    env['userdb_' + k] = v;
    env.EXTRA += ' userdb_' + k;
  }
  if (lookup) env.AUTHORIZED = '2';
  const r = spawnSync(reply, [], { env, stdio: ['ignore', 'ignore', 'inherit', 'ignore', 4] });
  if (r.error) temporary(r.error.message);
  process.exit(r.status === null ? 111 : r.status);
});
`;
}

/** Writes the program to `file`; as root, only Dovecot's auth process (group dovecot) may run it. */
export function writeCheckpassword(file: string, socketPath: string, group = 'dovecot'): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, checkpasswordScript(socketPath), { mode: 0o700 });
  const gid = runningAsRoot() ? systemGroupId(group) : null;
  if (gid !== null) {
    fs.chownSync(tmp, 0, gid);
    fs.chmodSync(tmp, 0o750);
  }
  fs.renameSync(tmp, file);
}
