// The last lines of a daemon's log, for `lastError` when it fails or dies.

import fs from 'node:fs';

/** Last `max` lines of `file` written after byte `from` (where this run's log began). */
export function tailLines(file: string, max: number, from = 0): string[] {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return [];
  }
  try {
    const size = fs.fstatSync(fd).size;
    const start = Math.max(from > size ? 0 : from, size - 32 * 1024);
    const buf = Buffer.alloc(size - start);
    fs.readSync(fd, buf, 0, buf.length, start);
    const lines = buf.toString('utf8').split('\n').map((l) => l.trimEnd()).filter(Boolean);
    if (start > from && lines.length) lines.shift(); // probably cut in the middle
    return lines.slice(-max);
  } finally {
    fs.closeSync(fd);
  }
}

export function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}
