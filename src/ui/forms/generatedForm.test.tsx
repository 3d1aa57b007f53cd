// @vitest-environment jsdom
// The generated form as a person meets it: every field type gets its widget from the
// registry, the server's refusals land on the right field, and saving sends only changes.

import { cleanup, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveView } from '../schema/resolve';
import { testSchema as doc } from '../schema/testSchema';
import { renderWithConsole } from '../test/render';
import { DynamicForm, type SubmitHelpers, type Values } from './DynamicForm';
import { buildPatch } from './patch';
import type { Registration, WidgetProps } from './registry';
import { describeSetError } from './setErrors';

afterEach(cleanup);


type Submit = (values: Values, helpers: SubmitHelpers) => Promise<void>;

function renderForm(objectName: string, values: Values, onSubmit: Submit, registration: Registration = {}) {
  const view = resolveView(doc, objectName)!;
  const entry = doc.fields[objectName];
  return renderWithConsole(
    <DynamicForm
      view={view} properties={entry.properties} defaults={entry.defaults ?? {}} initial={{ values }}
      mode="edit" canWrite submitLabel="Save" onSubmit={onSubmit}
    />,
    { doc, registration },
  );
}

/** A valid x:Sample record. */
const sample: Values = {
  name: 'alpha', notes: null, email: null, website: null, address: null, network: null, listen: null, password: null,
  certificate: null, page: null, colour: null, count: null, port: null, ratio: null, quota: 1024 ** 2, timeout: 30000,
  enabled: false, expiresAt: null, taskType: null, tenantId: null, limits: { maxConnections: 100 }, tasks: { '@type': 'EnableAll' },
  rules: {}, taskTypes: {}, roleIds: {}, aliases: {}, headers: {}, logo: 'blob1',
};

/** A field's label, with or without the required marker. */
const named = (label: string) => new RegExp(`^${label}( \\*)?$`);

/** The text of everything an element's aria-describedby points at. */
function description(el: HTMLElement): string {
  return (el.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
}

describe('the generated form', () => {
  it('renders a widget for every field type and format', () => {
    renderForm('x:Sample', sample, vi.fn());
    const input = (label: string) => screen.getByLabelText(named(label), { selector: 'input, textarea, select' });
    expect(input('Name')).toHaveProperty('type', 'text');
    expect(input('Notes').tagName).toBe('TEXTAREA');
    expect(input('Certificate').tagName).toBe('TEXTAREA');
    expect(input('Page').tagName).toBe('TEXTAREA');
    expect(input('Email')).toHaveProperty('type', 'email');
    expect(input('Website')).toHaveProperty('type', 'url');
    expect(input('Password')).toHaveProperty('type', 'password');
    expect(input('Colour')).toHaveProperty('type', 'color');
    expect(input('Network').getAttribute('placeholder')).toMatch(/10\.0\.0\.0\/8/);
    for (const label of ['Address', 'Listen', 'Logo']) expect(input(label)).toHaveProperty('type', 'text');
    for (const label of ['Count', 'Port', 'Ratio']) expect(input(label).getAttribute('inputmode')).toBeTruthy();
    expect(input('Quota')).toHaveProperty('value', '1');
    expect(within(input('Quota').parentElement!).getByLabelText('Unit')).toHaveProperty('value', 'MB');
    expect(input('Timeout')).toHaveProperty('value', '30');
    expect(input('Enabled')).toHaveProperty('type', 'checkbox');
    expect(input('Expires at')).toHaveProperty('type', 'datetime-local');
    expect(input('Task type').tagName).toBe('SELECT');
    expect(input('Tenant id').getAttribute('role')).toBe('combobox');
    expect(input('Role ids').getAttribute('role')).toBe('combobox');
    expect(within(input('Tasks')).getByRole('option', { name: 'Enable all tasks' })).toBeTruthy();
    expect(within(screen.getByRole('group', { name: 'Limits' })).getByLabelText('Max connections')).toHaveProperty('value', '100');
    expect(within(screen.getByRole('group', { name: 'Rules' })).getByRole('button', { name: 'Add rules' })).toBeTruthy();
    expect(within(screen.getByRole('group', { name: 'Task types' })).getByLabelText('Outbound Email MTA')).toHaveProperty('type', 'checkbox');
    expect(screen.getByLabelText('Add to aliases')).toBeTruthy();
    expect(within(screen.getByRole('group', { name: 'Headers' })).getByRole('button', { name: 'Add entry' })).toBeTruthy();
  });

  it('looks widgets up in the registry it is handed, nested ones included', () => {
    function Marked({ id, label }: WidgetProps) {
      return <output id={id}>custom {label}</output>;
    }
    renderForm('x:Sample', sample, vi.fn(), { widgets: { number: Marked } });
    expect(screen.getByText('custom Count')).toBeTruthy();
    expect(screen.getByText('custom Max connections')).toBeTruthy();
  });

  it('checks fields with the shared rules before sending, in the console’s words', async () => {
    const onSubmit = vi.fn<Submit>();
    renderForm('x:Sample', sample, onSubmit);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText('Email'), 'name@example');
    await user.type(screen.getByLabelText('Port'), '70000');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(onSubmit).not.toHaveBeenCalled();
    expect(description(screen.getByLabelText('Email'))).toContain('Enter an email address such as name@example.com');
    expect(description(screen.getByLabelText('Port'))).toContain('Enter at most 65535');
    expect(screen.getByLabelText('Email').getAttribute('aria-invalid')).toBe('true');
  });

  it('shows the server’s validation errors on the fields they name', async () => {
    const onSubmit: Submit = async (_values, { setError }) => {
      const { fields } = describeSetError({
        type: 'validationFailed',
        validationErrors: [
          { type: 'Max', property: 'quota', required: 1024 ** 3 },
          { type: 'Required', property: 'limits/maxConnections' },
          { type: 'Invalid', property: 'network', value: '10.0.0.0/99', description: 'prefix must be between 8 and 32' },
        ],
      }, 'sample', { doc, properties: doc.fields['x:Sample'].properties });
      for (const [name, message] of Object.entries(fields)) setError(name, { message });
    };
    renderForm('x:Sample', sample, onSubmit);
    const user = userEvent.setup();
    await user.type(screen.getByLabelText(named('Name')), '2');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const quota = await screen.findByLabelText('Quota');
    expect(quota.getAttribute('aria-invalid')).toBe('true');
    expect(description(quota)).toContain('Enter at most 1 GB');
    expect(description(screen.getByRole('group', { name: 'Limits' }))).toContain('Max connections: This field is required');
    expect(description(screen.getByLabelText('Network'))).toContain('Enter an IP address or network such as 10.0.0.0/8 (prefix must be between 8 and 32)');
    expect(description(screen.getByLabelText(named('Name')))).not.toContain('Enter');
  });

  it('sends only what changed, set members one by one', async () => {
    const role = { description: 'Readers', memberTenantId: null, roleIds: {}, enabledPermissions: { sysRoleGet: true }, disabledPermissions: {} };
    let patch: Record<string, unknown> | undefined;
    const onSubmit: Submit = async (values, { base }) => {
      patch = buildPatch(doc, doc.fields['x:Role'].properties, base.values, values);
    };
    renderForm('x:Role', role, onSubmit);
    const user = userEvent.setup();
    const enabled = within(screen.getByRole('group', { name: 'Enabled permissions' }));
    await user.click(enabled.getByLabelText('Create roles'));
    await user.click(enabled.getByLabelText('Get roles'));
    await user.clear(screen.getByLabelText(named('Description')));
    await user.type(screen.getByLabelText(named('Description')), 'Editors');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await vi.waitFor(() => expect(patch).toBeDefined());
    expect(patch).toEqual({ description: 'Editors', 'enabledPermissions/sysRoleCreate': true, 'enabledPermissions/sysRoleGet': null });
  });
});
