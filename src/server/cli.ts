// Maintenance on the machine itself, for when the console cannot be reached:
//   npm run unblock -- 192.0.2.7        remove every block that covers an address
//   npm run unblock -- --list           show the blocks
//   npm run reset-admin [-- --user NAME] restore an administrator (default "admin")
// It writes to the same SQLite store (DATA_DIR); a running server notices within a second.

import { pathToFileURL } from 'node:url';
import { maskContains, parseIpMask } from '../shared/ipmask';
import { loginNameProblem } from '../shared/schema/validate';
import { generatePassword } from './auth/passwords';
import { resetAdmin, systemSet } from './bootstrap';
import { configFromEnv } from './config';
import { openDatabase } from './store/db';
import { Store } from './store/records';

const USAGE = `usage:
  npm run unblock -- <ip-address>        remove every block covering that address
  npm run unblock -- --list              list the blocked addresses
  npm run reset-admin [-- --user NAME]   make NAME (default admin) a user with the built-in
                                         Administrator role and every permission, give it a
                                         new password (ADMIN_PASSWORD, or one printed once)
                                         and sign it out everywhere

Both work on DATA_DIR (default ./data), also while the server runs.
Exit codes: 0 done, 1 failed, 2 wrong arguments.`;

export interface Output {
  log(line: string): void;
  error(line: string): void;
}

function unblock(store: Store, arg: string, out: Output): number {
  const blocks = [...store.all('x:BlockedIp')];
  if (arg === '--list') {
    for (const [id, b] of blocks) out.log(`${id}\t${b.address}\t${b.reason ?? ''}\texpires ${b.expiresAt ?? 'never'}`);
    if (blocks.length === 0) out.log('No blocked addresses.');
    return 0;
  }
  const covering = blocks.filter(([, b]) => {
    const m = parseIpMask(String(b.address));
    return m.ok && maskContains(m.mask, arg);
  });
  if (covering.length === 0) {
    out.log(`${arg} is not blocked.`);
    return 0;
  }
  systemSet(store, 'x:BlockedIp', { destroy: covering.map(([id]) => id) }, 'cli');
  for (const [, b] of covering) out.log(`Removed the block on ${b.address}${b.reason ? ` (${b.reason})` : ''}.`);
  return 0;
}

function reset(store: Store, user: string, env: NodeJS.ProcessEnv, out: Output): number {
  if (store.getMeta('knownPermissions') === null) {
    out.error(`The server has never started with DATA_DIR ${configFromEnv(env).dataDir}: start it once (it creates "admin" itself).`);
    return 1;
  }
  const given = env.ADMIN_PASSWORD || undefined;
  const password = given ?? generatePassword();
  const r = resetAdmin(store, user, password, 'cli');
  out.log(`The built-in Administrator role holds every permission again.`);
  out.log(r.created ? `Created the user "${user}" with the Administrator role.` : `"${user}" has the Administrator role.`);
  if (r.removed.length) out.log(`Taken from "${user}" because they disabled permissions: ${r.removed.join(', ')}.`);
  out.log(given ? `Its password is now the one in ADMIN_PASSWORD.` : `Its new password, shown only this once: ${password}`);
  if (!r.created) out.log(`Its sessions have ended: it signs in again everywhere.`);
  return 0;
}

/** What the command line asks for, or the reason it makes no sense. */
function parse(argv: string[]): { command: 'unblock'; arg: string } | { command: 'reset-admin'; user: string } | { usage: string } {
  const [command, ...rest] = argv;
  if (command === 'unblock') {
    if (rest.length !== 1) return { usage: 'unblock takes one IP address, or --list' };
    const [arg] = rest;
    if (arg !== '--list' && (!parseIpMask(arg).ok || arg.includes('/'))) return { usage: `"${arg}" is not an IP address` };
    return { command, arg };
  }
  if (command === 'reset-admin') {
    let user = 'admin';
    if (rest.length === 2 && rest[0] === '--user') user = rest[1];
    else if (rest.length === 1 && rest[0].startsWith('--user=')) user = rest[0].slice('--user='.length);
    else if (rest.length) return { usage: `reset-admin takes only --user NAME, not ${rest.join(' ')}` };
    const problem = loginNameProblem(user) ?? (user.length > 255 ? 'A login name has at most 255 characters' : null);
    return user && !problem ? { command, user } : { usage: problem ?? 'The user name is empty' };
  }
  return { usage: command ? `unknown command "${command}"` : 'no command given' };
}

export function main(argv: string[], env: NodeJS.ProcessEnv = process.env, out: Output = console): number {
  if (argv.some((a) => a === '--help' || a === '-h')) {
    out.log(USAGE);
    return 0;
  }
  const what = parse(argv);
  if ('usage' in what) {
    out.error(`${what.usage}\n\n${USAGE}`);
    return 2;
  }
  const store = new Store(openDatabase(configFromEnv(env).dataDir));
  try {
    return what.command === 'unblock' ? unblock(store, what.arg, out) : reset(store, what.user, env, out);
  } catch (e) {
    out.error(`${what.command} failed: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  } finally {
    store.db.close();
  }
}

// Run when started as a command (tsx src/server/cli.ts …), not when a test imports main().
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) process.exitCode = main(process.argv.slice(2));
