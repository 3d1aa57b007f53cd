// @vitest-environment jsdom
// The import dialog's guards around the file: a file above the limit is refused before it is
// read, with words that say what to do, and the keyboard is back on the file input; the
// same file can be chosen again after it was fixed.

import { cleanup, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testSchema } from '../../schema/testSchema';
import { resolveView } from '../../schema/resolve';
import { renderWithConsole } from '../../test/render';
import { ImportCsv } from './ImportCsv';
import { MAX_FILE_BYTES } from './limits';

beforeAll(() => {
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.open = false;
  };
});
afterEach(cleanup);

const view = resolveView(testSchema, 'x:Account/User')!;

function open() {
  renderWithConsole(<ImportCsv view={view} list={{ singularName: 'user', pluralName: 'users' }} />, {
    doc: testSchema,
    jmap: (name) => {
      throw new Error(`no call expected, got ${name}`);
    },
  });
}

describe('ImportCsv', () => {
  it('refuses a file above the size limit before reading it, says how to go on, and gives the keyboard back to the file input', async () => {
    const user = userEvent.setup();
    open();
    await user.click(screen.getByRole('button', { name: 'Import CSV' }));
    const input = screen.getByLabelText<HTMLInputElement>('CSV file');
    const big = new File(['name\nann\n'], 'big.csv', { type: 'text/csv' });
    Object.defineProperty(big, 'size', { value: MAX_FILE_BYTES + 1 });
    await user.upload(input, big);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/larger than 10 MB.*Split it/);
    expect(document.activeElement).toBe(input);
    // Chosen again (after splitting it, under the same name): the input reacts again.
    expect(input.value).toBe('');
  });
});
