// GET /api/schema: the document the console is built from.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Layout, LayoutNode, SchemaDocument } from '../../shared/schema/types';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../testing';
import { account } from '../testkit';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('GET /api/schema', () => {
  it('describes the implemented objects, the Permission enum and the layouts', async () => {
    const res = await server.raw('/api/schema');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as SchemaDocument;
    for (const name of ['x:Role', 'x:ClusterRole', 'x:AllowedIp', 'x:BlockedIp', 'x:NetworkListener', 'x:ClusterNode', 'x:Tenant', 'x:Account']) {
      expect(doc.objects[name], name).toMatchObject({ type: 'object' });
      expect(doc.forms[name] ?? doc.lists[name], name).toBeDefined();
    }
    expect(doc.objects['x:Role'].permissionPrefix).toBe('sysRole');
    expect(doc.fields['x:ClusterRole'].properties.name.update).toBe('immutable');
    expect(doc.fields['x:AllowedIp'].properties.createdAt.update).toBe('serverSet');
    const perms = doc.enums.Permission.map((p) => p.name);
    for (const p of ['sysRoleCreate', 'sysAllowedIpDestroy', 'sysClusterRoleGet', 'sysTenantQuery']) expect(perms).toContain(p);
    // Every permission the admin holds is in the enum, and the enum is what the admin holds.
    const admin = await account(server, 'admin', ADMIN_PASSWORD);
    expect([...admin.permissions].sort()).toEqual([...perms].sort());
    const paths: string[] = [];
    const walk = (prefix: string, items: (Layout['items'][number] | LayoutNode)[]) => {
      for (const it of items) {
        if ('link' in it) paths.push(`${prefix} › ${it.link.name} → ${it.link.viewName}`);
        else if ('container' in it) walk(`${prefix} › ${it.container.name}`, it.container.items);
        else if (it.type === 'link') paths.push(`${prefix} › ${it.name} → ${it.viewName}`);
        else walk(`${prefix} › ${it.name}`, it.items);
      }
    };
    for (const l of doc.layouts) walk(l.name, l.items);
    expect(paths).toEqual(
      expect.arrayContaining([
        'Management › Directory › Roles → x:Role',
        'Settings › Cluster › Roles → x:ClusterRole',
        expect.stringMatching(/^Settings › Security › .+ → x:AllowedIp$/),
        expect.stringMatching(/^Settings › Security › .+ → x:BlockedIp$/),
      ]),
    );
  });
});
