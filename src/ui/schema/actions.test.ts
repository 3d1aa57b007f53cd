import { describe, expect, it } from 'vitest';
import { removalLabel } from './actions';

describe('removalLabel', () => {
  it("is the delete action's label when the schema gives one", () => {
    expect(removalLabel([{ type: 'view' }, { type: 'separator' }, { type: 'delete', label: 'Unblock' }])).toBe('Unblock');
  });
  it('is null for a plain delete, or none', () => {
    expect(removalLabel([{ type: 'view' }, { type: 'delete' }])).toBeNull();
    expect(removalLabel(undefined)).toBeNull();
  });
});
