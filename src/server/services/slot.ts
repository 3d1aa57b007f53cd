// What the parts of the supervisor share: one slot per supervised service (its driver,
// its daemon and what it was started with) and the context of the whole supervisor.

import path from 'node:path';
import type { Data, Store } from '../store/records';
import type { Daemon } from './daemon';
import { servicePaths, type Installation, type ServiceDriver, type ServicePaths, type ServiceSettings } from './driver';

export const SERVICE = 'x:Service';
export const ACTION = 'x:ServiceAction';
export const NODE = 'x:ClusterNode';
export const START_TIMEOUT_MS = 15_000;

/** The supervisor as its parts see it; `nodeId` and `closed` change while it runs. */
export interface SupervisorContext {
  readonly store: Store;
  readonly nodeName: string;
  readonly log: (msg: string) => void;
  /** This node's x:ClusterNode, found at start. */
  nodeId: string | null;
  /** Closing or closed: nothing more is written or started. */
  closed: boolean;
}

export interface Slot {
  driver: ServiceDriver;
  paths: ServicePaths;
  install: Installation;
  daemon: Daemon | null;
  /** Settings and config text the running daemon was started with. */
  applied: { settings: ServiceSettings; config: string } | null;
  /** Log size when the daemon started: lines after it belong to this run. */
  logStart: number;
  /** Operations on one service run one at a time. */
  queue: Promise<void>;
  /** An action is in progress: the probe loop leaves the record alone. */
  operating: boolean;
  starting: boolean;
  failedProbes: number;
  /** Last copy of the record, to put it back if a client destroys it. */
  last: Data | null;
}

export function newSlot(driver: ServiceDriver, dataDir: string): Slot {
  return {
    driver,
    paths: servicePaths(path.join(dataDir, 'services', driver.id), driver.files),
    install: { installed: false, version: null, binary: null },
    daemon: null,
    applied: null,
    logStart: 0,
    queue: Promise.resolve(),
    operating: false,
    starting: false,
    failedProbes: 0,
    last: null,
  };
}

/** A failure an action reports as its outcome. */
export class ActionError extends Error {}

/** Runs `job` after the service's earlier operations; the probe loop waits meanwhile. */
export function enqueue(ctx: SupervisorContext, slot: Slot, job: () => Promise<void>): Promise<void> {
  const run = slot.queue.then(async () => {
    if (ctx.closed) return;
    slot.operating = true;
    try {
      await job();
    } finally {
      slot.operating = false;
    }
  });
  slot.queue = run.catch(() => {});
  return run;
}

/** `unref`: a timer that must not keep the process alive by itself. */
export const sleep = (ms: number, unref = false) => new Promise((r) => {
  const t = setTimeout(r, ms);
  if (unref) t.unref();
});
