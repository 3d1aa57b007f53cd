// Push (RFC 8620 §7.3): an event stream of StateChange for the types the caller may read.

import type { Caller } from '../auth/caller';
import { ProblemError } from '../jmap/errors';
import type { Store } from '../store/records';
import type { SchemaDocument } from '../../shared/schema/types';
import type { Req, Res } from './respond';

const MAX_STREAMS_PER_ACCOUNT = 16;
const MAX_STREAMS = 1000;

export class PushStreams {
  private readonly streams = new Set<Res>();
  private readonly owners = new WeakMap<Res, string>();

  constructor(
    private readonly store: Store,
    private readonly schema: SchemaDocument,
    /** The caller as it is now, or null once the account is gone. */
    private readonly currentCaller: (accountId: string) => Caller | null,
  ) {}

  open(req: Req, res: Res, url: URL, caller: Caller) {
    const wanted = (url.searchParams.get('types') ?? '*').split(',').filter(Boolean);
    const closeAfterState = url.searchParams.get('closeafter') === 'state';
    const ping = Math.max(0, Math.min(Number(url.searchParams.get('ping')) || 0, 3600));
    // Each open stream holds a connection and a listener: a few per account is plenty.
    const mine = [...this.streams].filter((s) => !s.writableEnded && this.owners.get(s) === caller.accountId).length;
    if (mine >= MAX_STREAMS_PER_ACCOUNT || this.streams.size >= MAX_STREAMS) {
      throw new ProblemError(429, 'urn:ietf:params:jmap:error:limit', 'Too many open push streams', { limit: 'maxConcurrentRequests' });
    }
    this.owners.set(res, caller.accountId);
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    this.streams.add(res);
    const unsubscribe = this.store.onChange((types) => {
      // Permissions as they are now: a deleted or downgraded account hears no more.
      const now = this.currentCaller(caller.accountId);
      if (!now) {
        res.end();
        return;
      }
      const changed: Record<string, string> = {};
      for (const [type, state] of types) {
        const prefix = this.schema.objects[type]?.permissionPrefix;
        if ((wanted.includes('*') || wanted.includes(type)) && prefix && now.permissions.has(`${prefix}Get`)) changed[type] = state;
      }
      if (Object.keys(changed).length === 0) return;
      res.write(`event: state\ndata: ${JSON.stringify({ '@type': 'StateChange', changed: { [caller.accountId]: changed } })}\n\n`);
      if (closeAfterState) res.end();
    });
    const timer = ping ? setInterval(() => res.write(`event: ping\ndata: {"interval":${ping}}\n\n`), Math.max(ping, 1) * 1000) : null;
    const done = () => {
      unsubscribe();
      if (timer) clearInterval(timer);
      this.streams.delete(res);
    };
    req.on('close', done);
    res.on('close', done);
  }

  closeAll() {
    for (const s of this.streams) s.end();
  }
}
