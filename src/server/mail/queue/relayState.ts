// Whether the running Postfix instance really sends remote mail to the relay route, before a
// retry may lift defer_transports for remote mail (a retry in Postfix always does: qmgr's
// flush flags override defer_transports, see writes.ts). A stored route is not enough:
// the SMTP service applies a route change afterwards (main.cf rewritten, then `postfix
// reload`), so for a moment main.cf, or the daemons still running with the old main.cf,
// may have no relayhost, and Postfix would look the remote domain up and connect to it.
// So, besides the stored route:
// - main.cf itself (`postconf -h relayhost defer_transports`) names the route's next hop,
//   and no longer defers the smtp transport;
// - the running queue manager started after main.cf was last written (a reload restarts
//   it), and no SMTP client process older than that file is still running (after a
//   reload they end as soon as they are idle).

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { readRelay, relayNexthop } from '../../services/postfixConfig';
import type { Store } from '../../store/records';
import type { PostfixTools } from './postfix';

const NOT_YET = 'the SMTP service has not applied the relay route yet';

function postconf(t: PostfixTools, names: string[], timeoutMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    execFile(path.join(t.sbin, 'postconf'), ['-c', t.config, '-h', ...names], { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`postconf failed: ${(stderr || err.message).trim().split('\n').pop()}`));
      resolve(stdout.split('\n').slice(0, names.length).map((l) => l.trim()));
    });
  });
}

interface Proc { pid: number; ppid: number; comm: string; startedMs: number }

/** The processes whose parent is `ppid`, with when each started (from /proc, to 10 ms). */
export function childrenOf(ppid: number): Proc[] {
  const uptime = Number(fs.readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  const now = Date.now();
  const out: Proc[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const rest = stat.slice(close + 2).split(' ');
    // After the command: state (3), ppid (4) … starttime (22), in clock ticks since boot (USER_HZ 100 on Linux).
    const parent = Number(rest[1]);
    if (parent !== ppid) continue;
    const ticks = Number(rest[19]);
    out.push({ pid: Number(name), ppid: parent, comm, startedMs: now - (uptime - ticks / 100) * 1000 });
  }
  return out;
}

function masterPid(t: PostfixTools): number | null {
  try {
    const pid = Number(fs.readFileSync(path.join(path.dirname(t.config), 'queue', 'pid', 'master.pid'), 'utf8').trim());
    return pid > 1 && fs.existsSync(`/proc/${pid}`) ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Why remote mail may not be retried now, or null when the instance sends it to the stored
 * relay route. Without a route: why, always.
 */
export async function remoteDeliveryProblem(store: Store, t: PostfixTools, timeoutMs = 5000): Promise<string | null> {
  const relay = readRelay(store);
  if (!relay) return 'no relay route is configured (Settings › Network › Relay): this server sends no remote mail';
  const expected = relayNexthop(relay);
  let mainCfTime: number;
  try {
    mainCfTime = fs.statSync(path.join(t.config, 'main.cf')).mtimeMs;
  } catch {
    return `${NOT_YET}: the SMTP service's Postfix instance was never set up here`;
  }
  const [relayhost, deferred] = await postconf(t, ['relayhost', 'defer_transports'], timeoutMs);
  if (relayhost !== expected) {
    return `${NOT_YET} (Postfix's main.cf says relayhost = ${relayhost || '(none)'}, not ${expected}): try again in a moment`;
  }
  if (deferred.split(/[\s,]+/).includes('smtp')) return `${NOT_YET} (Postfix still defers the smtp transport): try again in a moment`;
  const master = masterPid(t);
  // A stopped instance reads main.cf when it starts; the retry itself says it is stopped.
  if (master === null) return null;
  const children = childrenOf(master);
  const qmgr = children.find((p) => p.comm === 'qmgr');
  const stale = children.filter((p) => (p.comm === 'qmgr' || p.comm === 'smtp') && p.startedMs < mainCfTime);
  if (!qmgr || stale.length) return `${NOT_YET} (Postfix is still reloading its configuration): try again in a moment`;
  return null;
}
