// Words for the service page: uptime, ports, and what an action is doing. Pure, tested.

import { setMembers } from '../../lib/set';

/** 59 s · 5 min 3 s · 2 h 5 min · 3 d 4 h */
export function formatUptime(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86_400), h = Math.floor((s % 86_400) / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  if (m > 0) return `${m} min ${sec} s`;
  return `${sec} s`;
}

/** A set of port numbers `{"993":true,"143":true}` → `143, 993`. */
export function formatPorts(ports: unknown): string {
  return setMembers(ports).map(Number).filter(Number.isFinite).sort((a, b) => a - b).join(', ');
}

export type ServiceActionType = 'start' | 'stop' | 'restart' | 'status';

const VERB: Record<ServiceActionType, [ing: string, done: string]> = {
  start: ['Starting', 'Start'],
  stop: ['Stopping', 'Stop'],
  restart: ['Restarting', 'Restart'],
  status: ['Checking', 'Status check'],
};

/** "Stopping IMAP on every node…" while an action runs. */
export function progressText(action: ServiceActionType, service: string, where: string): string {
  return `${VERB[action][0]} ${service} ${where}…`;
}

/** "Restart of IMAP on mx1: done" once it finished. */
export function outcomeTitle(action: ServiceActionType, service: string, where: string, ok: boolean): string {
  return `${VERB[action][1]} of ${service} ${where} ${ok ? 'done' : 'failed'}`;
}
