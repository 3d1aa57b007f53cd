// The edit form of any record, generated from the schema's form layout and fields,
// held by react-hook-form with one Controller per property so typing in one field
// re-renders only that field. It holds the version being edited and, given a key, a draft.

import { useEffect, useLayoutEffect, useMemo, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Controller, useForm, useFormState, type Control, type UseFormSetError } from 'react-hook-form';
import { deepEqual } from '../../shared/equal';
import type { Form, Property } from '../../shared/schema/types';
import { useUnsavedChangesGuard } from '../lib/unsavedGuard';
import { useConsole } from '../schema/context';
import { lacksEnterprise } from '../schema/edition';
import { isRequired, type ResolvedView } from '../schema/resolve';
import { Field } from './Field';
import { completeRegistry, RegistryContext, useRegistration } from './registry';
import { defaultWidgets } from './widgets';
import { applyOver, useDraft, useRestoredDraft } from './useDraft';
import { validateValue } from './validate';
import type { Values, Version } from './values';

export type { Values, Version };

export interface SubmitHelpers {
  setError: UseFormSetError<Values>;
  /** The version being edited from now on (what was just saved). */
  reset: (v: Version) => void;
  /**
   * The version being edited: what the form was last reset to. A patch is built against
   * it and names its state, not a record refetched while the person was editing (that
   * would undo others' changes).
   */
  base: Version;
  /**
   * Edits from now on against `base` (the server's newer version, after a conflict), the
   * form holding `values` over it: the next save patches only what differs from `base`.
   */
  rebase: (base: Version, values: Values) => void;
  /** Submits the form again (checks included), e.g. once a conflict is resolved. */
  submit: () => void;
}

interface Props {
  view: ResolvedView;
  properties: Record<string, Property>;
  defaults: Record<string, unknown>;
  /** The version to edit; a newer one replaces it only while the form has no edits. */
  initial: Version;
  mode: 'create' | 'edit';
  canWrite: boolean;
  submitLabel: string;
  onSubmit: (values: Values, helpers: SubmitHelpers) => Promise<void>;
  /** Where Cancel leads; a link, so the unsaved-changes question covers it. */
  cancelTo?: string;
  /** Extra panels beside the fields, e.g. effective permissions; gets the live form control. */
  aside?: (control: Control<Values>) => ReactNode;
  banner?: ReactNode;
  /** Where this form's draft is kept (drafts.ts draftKey); none without. */
  draftKey?: string;
  /** The layout, when not the view's own (a union's variant form: schema/resolve formFor). */
  form?: Form;
  /**
   * What was typed before, to put back over `initial` (a union variant picked again), and
   * where the form's values go when it is left (another variant picked).
   */
  keep?: { values: () => Values | undefined; onLeave: (values: Values) => void };
  /** Field ids are `<idPrefix>-<name>`: another form on the page (a related record's) takes its own. */
  idPrefix?: string;
}

export function DynamicForm({ view, properties, defaults, initial, mode, canWrite, submitLabel, onSubmit, cancelTo, aside, banner, draftKey, form: layout = view.form, keep, idPrefix = 'f' }: Props) {
  const { doc, edition } = useConsole();
  const { t } = useTranslation('forms');
  const lacking = lacksEnterprise(edition);
  const registration = useRegistration();
  const registry = useMemo(() => completeRegistry(registration, defaultWidgets), [registration]);
  const restored = useRestoredDraft(canWrite ? draftKey : undefined);
  // A restored draft's edits sit over the version they were made from, not the one just read.
  const start = restored?.base ?? initial;
  const form = useForm<Values>({ defaultValues: start.values, mode: 'onTouched' });
  // The form body never reads formState, so dirtiness changes re-render only the footer.
  const { control, handleSubmit, reset, setError, getValues } = form;

  // The one place the version being edited lives. A refetch after someone else's change
  // refreshes a form that has no edits; a form with edits keeps its base, so saving
  // reports the conflict instead of undoing it.
  const base = useRef(start);
  const draft = useDraft(form, canWrite ? draftKey : undefined, restored, properties, base, () => initial);
  // Values typed in this variant before another was picked come back as edits.
  const keepRef = useRef(keep);
  useLayoutEffect(() => {
    keepRef.current = keep;
  });
  useLayoutEffect(() => {
    const kept = keepRef.current?.values();
    if (kept && !restored) applyOver(form, base.current.values, kept);
    return () => keepRef.current?.onLeave(getValues());
    // Once per form: a form is remounted for each variant.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- applied on mount, handed over on unmount
  }, []);
  useEffect(() => {
    if (base.current !== initial && deepEqual(getValues(), base.current.values)) {
      // The base first: the reset is no edit, so the draft watcher must see it as none.
      base.current = initial;
      reset(initial.values);
    }
  }, [initial, getValues, reset]);

  const sections = layout.sections
    .map((s) => ({
      ...s,
      fields: s.fields.filter((f) => {
        const p = properties[f.name];
        return p && !(mode === 'create' && p.update === 'serverSet');
      }),
    }))
    .filter((s) => s.fields.length > 0);

  const submit = handleSubmit(
    (values) =>
      onSubmit(values, {
        setError,
        reset: (v) => {
          base.current = v;
          reset(v.values);
          draft.clear();
        },
        base: base.current,
        rebase: (v, next) => {
          base.current = v;
          applyOver(form, v.values, next);
        },
        submit: () => void submit(),
      }),
    (errors) => {
      // Focus the first field in error, in the order the form shows them. Widgets give
      // their main control the id f-<name>; a group gets its first control focused.
      const first = sections.flatMap((sec) => sec.fields.map((f) => f.name)).find((n) => n in errors);
      const el = first ? document.getElementById(`${idPrefix}-${first}`) : null;
      const target = el?.matches('input, select, textarea, button') ? el : el?.querySelector<HTMLElement>('input, select, textarea, button');
      target?.focus();
    },
  );

  return (
    <RegistryContext.Provider value={registry}>
      <form className="record-form" onSubmit={(e) => void submit(e)} noValidate aria-label={layout.title ?? view.form.title ?? t('form.record')}>
        {draft.notice}
        {banner}
        <div className="form-layout">
          <div className="form-main">
            {sections.map((section, si) => {
              const body = section.fields.map((f) => {
                const p = properties[f.name];
                const unavailable = !!p.enterprise && lacking;
                const readOnly = !canWrite || unavailable || p.update === 'serverSet' || (mode === 'edit' && p.update === 'immutable');
                const required = !readOnly && isRequired(doc, p.type, f.name in defaults);
                return (
                  <Controller
                    key={f.name}
                    name={f.name}
                    control={control}
                    // An edit checks what the person changed: a value the server already holds
                  // stands (a real Stalwart may hold values our rules would word differently).
                  rules={{
                    validate: (v) =>
                      readOnly || (mode === 'edit' && deepEqual(v, base.current.values[f.name])) ? true : validateValue(doc, p.type, v, required, { secretsKept: mode === 'edit' }) ?? true,
                  }}
                    render={({ field, fieldState }) => (
                      <Field
                        id={`${idPrefix}-${f.name}`}
                        name={f.name}
                        label={f.label}
                        note={unavailable ? t('enterpriseNote') : undefined}
                        hint={p.description !== f.label ? p.description : undefined}
                        placeholder={f.placeholder}
                        keyLabel={f.keyLabel}
                        valueLabel={f.valueLabel}
                        type={p.type}
                        value={field.value}
                        onChange={field.onChange}
                        onBlur={field.onBlur}
                        readOnly={readOnly}
                        required={required}
                        error={fieldState.error?.message}
                      />
                    )}
                  />
                );
              });
              return section.title ? (
                <section key={si} className="form-section" aria-labelledby={`${idPrefix}-sec-${si}`}>
                  <h2 id={`${idPrefix}-sec-${si}`}>{section.title}</h2>
                  {body}
                </section>
              ) : (
                <div key={si} className="form-section">
                  {body}
                </div>
              );
            })}
          </div>
          {aside && <div className="form-aside">{aside(control)}</div>}
        </div>
        <FormFooter control={control} mode={mode} canWrite={canWrite} submitLabel={submitLabel} cancelTo={cancelTo} />
      </form>
    </RegistryContext.Provider>
  );
}

function FormFooter({ control, mode, canWrite, submitLabel, cancelTo }: { control: Control<Values>; mode: 'create' | 'edit'; canWrite: boolean; submitLabel: string; cancelTo?: string }) {
  const { isDirty, isSubmitting } = useFormState({ control });
  const { t } = useTranslation('forms');
  useUnsavedChangesGuard(isDirty && !isSubmitting);
  if (!canWrite) return null;
  return (
    <div className="form-actions">
      <button type="submit" className="btn btn-primary" disabled={isSubmitting || (mode === 'edit' && !isDirty)}>
        {isSubmitting ? t('form.saving') : submitLabel}
      </button>
      {cancelTo && (
        <Link className="btn" to={cancelTo}>
          {t('form.cancel')}
        </Link>
      )}
      {mode === 'edit' && isDirty && <span className="muted">{t('form.unsaved')}</span>}
    </div>
  );
}
