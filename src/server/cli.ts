// Maintenance on the machine itself, for when the console cannot be reached:
//   npm run unblock -- 192.0.2.7     remove every block that covers an address
//   npm run unblock -- --list        show the blocks
// It writes to the same SQLite store (DATA_DIR); a running server notices within a second.

import { maskContains, parseIpMask } from '../shared/ipmask';
import { systemSet } from './bootstrap';
import { configFromEnv } from './config';
import { openDatabase } from './store/db';
import { Store } from './store/records';

function main(argv: string[]): number {
  const [command, arg] = argv;
  if (command !== 'unblock' || !arg) {
    console.error('usage: postern unblock <ip-address> | postern unblock --list');
    return 2;
  }
  const store = new Store(openDatabase(configFromEnv().dataDir));
  const blocks = [...store.all('x:BlockedIp')];
  if (arg === '--list') {
    for (const [id, b] of blocks) console.log(`${id}\t${b.address}\t${b.reason ?? ''}\texpires ${b.expiresAt ?? 'never'}`);
    if (blocks.length === 0) console.log('No blocked addresses.');
    return 0;
  }
  const ip = parseIpMask(arg);
  if (!ip.ok || arg.includes('/')) {
    console.error(`"${arg}" is not an IP address`);
    return 2;
  }
  const covering = blocks.filter(([, b]) => {
    const m = parseIpMask(String(b.address));
    return m.ok && maskContains(m.mask, arg);
  });
  if (covering.length === 0) {
    console.log(`${arg} is not blocked.`);
    return 0;
  }
  systemSet(store, 'x:BlockedIp', { destroy: covering.map(([id]) => id) });
  for (const [, b] of covering) console.log(`Removed the block on ${b.address}${b.reason ? ` (${b.reason})` : ''}.`);
  store.db.close();
  return 0;
}

process.exitCode = main(process.argv.slice(2));
