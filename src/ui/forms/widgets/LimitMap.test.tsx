// @vitest-environment jsdom
// Limits: Inherit / Unlimited / Limit as labelled radios, sizes in units with bytes on the
// wire, the unlimited value the schema names; a Stalwart quota map (no unlimited value) keeps
// the plain map editor.

import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { FieldType, SchemaDocument } from '../../../shared/schema/types';
import { testSchema } from '../../schema/testSchema';
import { renderWithConsole } from '../../test/render';
import { Field } from '../Field';
import { choiceOf, isLimitMap, isLimitNumber, keyType, withChoice } from './limits';

afterEach(cleanup);

const doc: SchemaDocument = {
  ...testSchema,
  enums: {
    ...testSchema.enums,
    StorageQuota: [
      { name: 'maxEmails', label: 'Messages' },
      { name: 'maxDiskQuota', label: 'Storage', format: 'size' },
    ],
  },
};
const limit = { type: 'number', format: 'unsignedInteger', min: 0, unlimited: 0 } as const;
const quotas: FieldType = { type: 'map', keyClass: { type: 'enum', enumName: 'StorageQuota' }, valueClass: limit };
const stalwartQuotas: FieldType = { type: 'map', keyClass: { type: 'enum', enumName: 'StorageQuota' }, valueClass: { type: 'number', format: 'unsignedInteger' } };

function Held({ type, start, seen, readOnly }: { type: FieldType; start: unknown; seen: unknown[]; readOnly?: boolean }) {
  const [value, setValue] = useState(start);
  return (
    <Field
      id="f-quotas" label="Quotas" type={type} value={value} readOnly={readOnly}
      onChange={(v) => {
        seen.push(v);
        setValue(v);
      }}
    />
  );
}

describe('limits', () => {
  it('reads the encoding from the schema alone', () => {
    expect(isLimitNumber(limit)).toBe(true);
    expect(isLimitNumber({ type: 'number', format: 'unsignedInteger' })).toBe(false);
    expect(isLimitMap(quotas)).toBe(true);
    expect(isLimitMap(stalwartQuotas)).toBe(false);
    expect([choiceOf(undefined, limit), choiceOf(null, limit), choiceOf(0, limit), choiceOf(5, limit)]).toEqual(['inherit', 'inherit', 'unlimited', 'limit']);
    expect(keyType(doc, quotas as Extract<FieldType, { type: 'map' }>, 'maxDiskQuota').format).toBe('size');
    expect(keyType(doc, quotas as Extract<FieldType, { type: 'map' }>, 'maxEmails').format).toBe('unsignedInteger');
    expect(withChoice({ maxEmails: 3, maxDiskQuota: 9 }, 'maxEmails', null)).toEqual({ maxDiskQuota: 9 });
  });
});

describe('LimitMap', () => {
  it('sets a size in MB as bytes, then unlimited, then inherit (the key removed)', async () => {
    const seen: unknown[] = [];
    renderWithConsole(<Held type={quotas} start={{ maxEmails: 100 }} seen={seen} />, { doc });
    const user = userEvent.setup();
    const group = screen.getByRole('group', { name: 'Quotas' });
    const storage = within(group).getByRole('radiogroup', { name: 'Storage' });
    const messages = within(group).getByRole('radiogroup', { name: 'Messages' });
    expect(within(storage).getByRole('radio', { name: 'Inherit' })).toHaveProperty('checked', true);
    expect(within(messages).getByRole('radio', { name: 'Limit' })).toHaveProperty('checked', true);
    expect(screen.getByLabelText<HTMLInputElement>('Messages: limit').value).toBe('100');

    await user.click(within(storage).getByRole('radio', { name: 'Limit' }));
    const box = screen.getByLabelText('Storage: limit');
    await user.type(box, '1');
    const unit = within(box.parentElement!).getByRole('combobox', { name: 'Unit' });
    await user.selectOptions(unit, 'MB');
    expect(seen.at(-1)).toEqual({ maxEmails: 100, maxDiskQuota: 1048576 });

    await user.click(within(storage).getByRole('radio', { name: 'Unlimited' }));
    expect(seen.at(-1)).toEqual({ maxEmails: 100, maxDiskQuota: 0 });
    expect(screen.queryByLabelText('Storage: limit')).toBeNull();
    // Limit again finds the number typed last.
    await user.click(within(storage).getByRole('radio', { name: 'Limit' }));
    expect(seen.at(-1)).toEqual({ maxEmails: 100, maxDiskQuota: 1048576 });

    await user.click(within(messages).getByRole('radio', { name: 'Inherit' }));
    expect(seen.at(-1)).toEqual({ maxDiskQuota: 1048576 });
  });

  it('is reached and picked with the keyboard (native radios, one tab stop per kind)', async () => {
    const seen: unknown[] = [];
    renderWithConsole(<Held type={quotas} start={{}} seen={seen} />, { doc });
    const user = userEvent.setup();
    await user.tab();
    const inherit = within(screen.getByRole('radiogroup', { name: 'Messages' })).getByRole('radio', { name: 'Inherit' });
    expect(document.activeElement).toBe(inherit);
    await user.tab();
    expect(document.activeElement).toBe(within(screen.getByRole('radiogroup', { name: 'Storage' })).getByRole('radio', { name: 'Inherit' }));
    await user.tab({ shift: true });
    const unlimited = within(screen.getByRole('radiogroup', { name: 'Messages' })).getByRole('radio', { name: 'Unlimited' });
    unlimited.focus();
    await user.keyboard(' ');
    expect(seen.at(-1)).toEqual({ maxEmails: 0 });
  });

  it('a "Limit" left empty is an error to fix, not a silent inherit', async () => {
    const seen: unknown[] = [];
    renderWithConsole(<Held type={quotas} start={{}} seen={seen} />, { doc });
    const user = userEvent.setup();
    await user.click(within(screen.getByRole('radiogroup', { name: 'Messages' })).getByRole('radio', { name: 'Limit' }));
    expect(Number.isNaN((seen.at(-1) as Record<string, number>).maxEmails)).toBe(true);
    expect(within(screen.getByRole('radiogroup', { name: 'Messages' })).getByRole('radio', { name: 'Limit' })).toHaveProperty('checked', true);
  });

  it('read-only, says each kind in words', () => {
    renderWithConsole(<Held type={quotas} start={{ maxEmails: 0, maxDiskQuota: 2097152 }} seen={[]} readOnly />, { doc });
    const group = screen.getByRole('group', { name: 'Quotas' });
    expect(group.textContent).toContain('MessagesUnlimited');
    expect(group.textContent).toContain('Storage2 MB');
    expect(screen.queryByRole('radio')).toBeNull();
  });

  it('a quota map without an unlimited value (a real Stalwart) keeps the map editor', () => {
    renderWithConsole(<Held type={stalwartQuotas} start={{}} seen={[]} />, { doc });
    expect(screen.getByRole('button', { name: 'Add entry' })).toBeTruthy();
    expect(screen.queryByRole('radio')).toBeNull();
  });

  it('a single nullable limit (a global default) is the same three choices', async () => {
    const seen: unknown[] = [];
    renderWithConsole(<Held type={{ type: 'number', format: 'size', nullable: true, min: 0, unlimited: 0 }} start={null} seen={seen} />, { doc });
    const user = userEvent.setup();
    const group = screen.getByRole('group', { name: 'Quotas' });
    await user.click(within(group).getByRole('radio', { name: 'Unlimited' }));
    expect(seen.at(-1)).toBe(0);
    await user.click(within(group).getByRole('radio', { name: 'Inherit' }));
    expect(seen.at(-1)).toBeNull();
  });
});
