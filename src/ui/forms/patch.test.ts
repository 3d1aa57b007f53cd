import { describe, expect, it } from 'vitest';
import { applyPatch } from '../../shared/jmap/patch';
import { testSchema as doc } from '../schema/testSchema';
import { buildCreate, buildPatch } from './patch';

const clusterRole = doc.fields['x:ClusterRole'].properties;
const role = doc.fields['x:Role'].properties;

describe('buildPatch', () => {
  const original = {
    id: 'b', name: 'frontend', description: null,
    tasks: { '@type': 'EnableSome', taskTypes: { outboundMta: true } },
  };

  it('sends nothing when nothing changed', () => {
    expect(buildPatch(doc, clusterRole, original, structuredClone(original))).toEqual({});
  });

  it('sends only changed scalars and never immutable ones', () => {
    const current = { ...original, name: 'renamed', description: 'Front' };
    expect(buildPatch(doc, clusterRole, original, current)).toEqual({ description: 'Front' });
  });

  it('patches set members inside a union of unchanged @type', () => {
    const current = { ...original, tasks: { '@type': 'EnableSome', taskTypes: { searchIndexing: true } } };
    const patch = buildPatch(doc, clusterRole, original, current);
    expect(patch).toEqual({ 'tasks/taskTypes/outboundMta': null, 'tasks/taskTypes/searchIndexing': true });
    expect(applyPatch(original, patch)).toEqual(current);
  });

  it('sends the whole union when @type changes', () => {
    const current = { ...original, tasks: { '@type': 'DisableAll' } };
    expect(buildPatch(doc, clusterRole, original, current)).toEqual({ tasks: { '@type': 'DisableAll' } });
  });

  it('escapes set members that contain a slash or tilde', () => {
    const before = { description: 'r', roleIds: { a: true }, enabledPermissions: {}, disabledPermissions: {} };
    const after = { ...before, enabledPermissions: { 'a/b~c': true } };
    const patch = buildPatch(doc, role, before, after);
    expect(patch).toEqual({ 'enabledPermissions/a~1b~0c': true });
    expect(applyPatch(before, patch)).toEqual(after);
  });

  it('patches map entries one by one and nested single objects field by field', () => {
    const props = doc.fields['x:SystemSettings'].properties;
    const before = { hostname: 'h', timeout: 1000, limits: { maxConnections: 1 }, headers: { a: '1', b: '2' } };
    const after = { hostname: 'h', timeout: 1000, limits: { maxConnections: 2 }, headers: { a: '1', c: '3' } };
    const patch = buildPatch(doc, props, before, after);
    expect(patch).toEqual({ 'limits/maxConnections': 2, 'headers/b': null, 'headers/c': '3' });
    expect(applyPatch(before, patch)).toEqual(after);
  });

  it('sends null when a value is cleared', () => {
    const props = doc.fields['x:AllowedIp'].properties;
    const before = { address: '10.0.0.0/8', reason: 'x', expiresAt: '2030-01-01T00:00:00Z', createdAt: '2020-01-01T00:00:00Z' };
    expect(buildPatch(doc, props, before, { ...before, reason: null, createdAt: 'changed' })).toEqual({ reason: null });
  });
});

describe('buildCreate', () => {
  it('drops server-set and undefined properties and keeps @type', () => {
    const props = doc.fields['x:AllowedIp'].properties;
    expect(buildCreate(props, { address: '10.0.0.0/8', reason: null, createdAt: 'x', expiresAt: undefined })).toEqual({
      address: '10.0.0.0/8', reason: null,
    });
    expect(buildCreate({}, { '@type': 'User' })).toEqual({ '@type': 'User' });
  });
});
