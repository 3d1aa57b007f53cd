// Starting a task is a /set create of x:Task: sysTaskCreate alone lets a caller queue work,
// but a kind that removes something also needs the permission to remove it directly.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing';
import { makeUser, query, snapshot } from '../testkit';
import { TASK } from './status';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function createAs(user: { user: string; password: string }, value: Record<string, unknown>) {
  const [name, res] = await server.call('x:Task/set', { create: { t: value } }, user);
  expect(name).toBe('x:Task/set');
  return res as { created: Record<string, { id: string }> | null; notCreated: Record<string, { type: string; description?: string }> | null };
}

describe('kinds that remove things need the removal permission', () => {
  it('ClearMailRepository, ReprocessRepositoryMails and CleanupTasks are refused to a caller with only sysTaskCreate', async () => {
    const [repositoryId] = (await query(server, 'x:MailRepository', {})).ids;
    expect(repositoryId).toEqual(expect.any(String));
    const creator = await makeUser(server, ['sysTaskCreate', 'sysTaskGet']);
    const before = snapshot(server, TASK);
    for (const value of [
      { '@type': 'ClearMailRepository', repositoryId },
      { '@type': 'ReprocessRepositoryMails', repositoryId, mailIds: {} },
      { '@type': 'CleanupTasks', olderThan: 0 },
    ]) {
      const res = await createAs(creator, value);
      expect(res.created, JSON.stringify(res)).toBeNull();
      expect(res.notCreated!.t.type).toBe('forbidden');
      expect(res.notCreated!.t.description).toMatch(/sys(RepositoryMail|Task)Destroy/);
    }
    expect(snapshot(server, TASK)).toBe(before);
    // With the removal permission the same tasks start.
    const remover = await makeUser(server, ['sysTaskCreate', 'sysTaskGet', 'sysRepositoryMailDestroy', 'sysTaskDestroy']);
    for (const value of [{ '@type': 'ClearMailRepository', repositoryId }, { '@type': 'CleanupTasks', olderThan: 0 }]) {
      const res = await createAs(remover, value);
      expect(res.notCreated, JSON.stringify(res.notCreated)).toBeNull();
    }
    await server.tasks.whenIdle();
  });
});
