// The process handle: exits are seen, stop escalates to SIGKILL, and a daemon left
// running by an earlier server (found through its pid file) is stopped.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Daemon, stopLeftover } from './daemon';
import { waitFor } from './testing';

const node = process.execPath;
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('Daemon', () => {
  it('reports an exit it did not ask for, with the output it wrote', async () => {
    const d = await Daemon.spawn({ command: node, args: ['-e', 'console.error("Fatal: bind failed"); process.exit(89)'], configText: '' });
    const exit = await d.exited;
    expect(exit).toEqual({ code: 89, signal: null, expected: false });
    expect(d.alive).toBe(false);
    expect(d.recentOutput()).toContain('Fatal: bind failed');
  });

  it('stops with SIGTERM, and SIGKILLs when that is ignored', async () => {
    const d = await Daemon.spawn({ command: node, args: ['-e', 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000); console.log("up")'], configText: '' });
    await waitFor('the child to install its handler', async () => d.recentOutput().includes('up'), 5000, 20);
    const exit = await d.stop(300);
    expect(exit).toMatchObject({ signal: 'SIGKILL', expected: true });
    expect(alive(d.pid)).toBe(false);
  });

  it('rejects a command that cannot run', async () => {
    await expect(Daemon.spawn({ command: '/nonexistent/daemon', args: [], configText: '' })).rejects.toThrow(/ENOENT/);
  });
});

describe('stopLeftover', () => {
  it('stops a process whose command line names the config, and only such a process', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'postern-leftover-'));
    const config = path.join(dir, 'dovecot.conf');
    const pidFile = path.join(dir, 'master.pid');
    const leftover = spawn(node, ['-e', 'setInterval(() => {}, 1000)', config], { detached: true, stdio: 'ignore' });
    const stranger = spawn(node, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      fs.writeFileSync(pidFile, `${stranger.pid}\n`);
      expect(await stopLeftover(pidFile, config)).toBe(false);
      expect(alive(stranger.pid!)).toBe(true);
      expect(fs.existsSync(pidFile)).toBe(false); // a stale pid file goes

      fs.writeFileSync(pidFile, `${leftover.pid}\n`);
      expect(await stopLeftover(pidFile, config)).toBe(true);
      await waitFor('the leftover to exit', async () => leftover.exitCode !== null || leftover.signalCode !== null, 5000, 20);
    } finally {
      stranger.kill('SIGKILL');
      leftover.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
