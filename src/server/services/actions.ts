// Runs x:ServiceAction commands. /set is synchronous, so actions are picked up from the
// change log: the records created since the last look are run in order per service, and
// their outcome (state, message, finishedAt) is written back for /get, /changes and push.

import { utcDateTime } from '../../shared/schema/validate';
import { ChangeKind, propExpr, type Data, type Ref } from '../store/records';
import type { DaemonControl } from './control';
import type { ServiceRecords } from './record';
import { ACTION, ActionError, enqueue, NODE, SERVICE, type Slot, type SupervisorContext } from './slot';

/** Finished actions kept as a record of what was done; older ones are pruned. */
const KEEP_ACTIONS = 200;
const BATCH = 500;

const now = () => utcDateTime();

export class ActionRunner {
  /** The change-log position of x:ServiceAction up to which actions were looked at. */
  private seen = 0;

  constructor(
    private readonly ctx: SupervisorContext,
    private readonly slots: ReadonlyMap<string, Slot>,
    private readonly records: ServiceRecords,
    private readonly control: DaemonControl,
  ) {}

  /** At start: what a previous run left pending or running will not finish now. */
  failUnfinished() {
    const { store } = this.ctx;
    const where = `${propExpr('state')} IN ('pending', 'running')`;
    for (const id of store.queryIds(ACTION, where, [], 'rid', 10_000, 0)) {
      this.setAction(id, { state: 'failed', message: 'The server stopped before this action finished.', finishedAt: now() });
    }
    this.seen = store.modseq(ACTION);
  }

  /** Runs the actions created since the last look. */
  drain() {
    const { store } = this.ctx;
    for (;;) {
      const changes = store.changesSince(ACTION, this.seen, BATCH);
      for (const c of changes) {
        this.seen = c.modseq;
        if (c.kind !== ChangeKind.Created) continue;
        const rec = store.get(ACTION, c.id);
        if (rec?.state === 'pending') this.dispatch(c.id, rec);
      }
      if (changes.length < BATCH) break;
    }
  }

  private setAction(id: string, fields: Data) {
    const { store } = this.ctx;
    if (this.ctx.closed) return;
    let wrote = false;
    store.transaction(() => {
      const cur = store.get(ACTION, id);
      if (!cur) return;
      const next = { ...cur, ...fields };
      const refs: Ref[] = [{ objectName: SERVICE, id: String(next.serviceId) }];
      if (typeof next.nodeId === 'string') refs.push({ objectName: NODE, id: next.nodeId });
      store.update(ACTION, id, next, refs);
      wrote = true;
    });
    if (wrote) store.flushChanges();
  }

  private dispatch(actionId: string, rec: Data) {
    const slot = this.slots.get(String(rec.serviceId));
    if (!slot) {
      this.setAction(actionId, { state: 'failed', message: `This server does not supervise a service ${String(rec.serviceId)}.`, finishedAt: now() });
      return;
    }
    void enqueue(this.ctx, slot, () => this.run(slot, actionId, rec)).then(() => this.prune());
  }

  private nodeName(id: string): string {
    const n = this.ctx.store.get(NODE, id);
    return typeof n?.hostname === 'string' ? n.hostname : id;
  }

  private async run(slot: Slot, actionId: string, rec: Data) {
    const { store, nodeName } = this.ctx;
    if (!store.get(ACTION, actionId)) return; // destroyed while waiting
    this.setAction(actionId, { state: 'running' });
    const here = this.ctx.nodeId;
    const nodes = rec.allNodes === true
      ? store.queryIds(NODE, '', [], 'rid', 1000, 0)
      : [typeof rec.nodeId === 'string' ? rec.nodeId : here ?? 'local'];
    if (here && !nodes.includes(here) && rec.allNodes === true) nodes.unshift(here);
    const lines: string[] = [];
    let ok = true;
    for (const node of nodes) {
      const name = node === here || node === 'local' ? nodeName : this.nodeName(node);
      if (node !== here && node !== 'local') {
        ok = false;
        lines.push(`${name}: not reachable from this server. Postern controls services only on the node it runs on (${nodeName}); run the action from ${name}'s own console.`);
        continue;
      }
      try {
        lines.push(`${name}: ${await this.perform(slot, String(rec.action))}`);
      } catch (e) {
        ok = false;
        lines.push(`${name}: ${(e as Error).message}`);
      }
    }
    this.setAction(actionId, {
      state: ok ? 'done' : 'failed',
      message: lines.join('\n'),
      isRunning: this.records.record(slot)?.status === 'running',
      finishedAt: now(),
    });
  }

  private async perform(slot: Slot, action: string): Promise<string> {
    switch (action) {
      case 'start': return this.control.start(slot);
      case 'stop': return this.control.stop(slot);
      case 'restart': {
        const stopped = slot.daemon?.alive ? `${await this.control.stop(slot)}; ` : '';
        return stopped + (await this.control.start(slot));
      }
      case 'status': return this.control.status(slot);
      default: throw new ActionError(`Unknown action ${action}`);
    }
  }

  private prune() {
    const { store } = this.ctx;
    if (this.ctx.closed) return;
    const done = `${propExpr('state')} IN ('done', 'failed')`;
    const extra = store.count(ACTION, done, []) - KEEP_ACTIONS;
    if (extra <= 0) return;
    const ids = store.queryIds(ACTION, done, [], 'rid', extra, 0);
    store.transaction(() => {
      for (const id of ids) store.delete(ACTION, id);
    });
    store.flushChanges();
  }
}
