// The page of an action object (Stalwart's x:Action): not records but commands. The
// person picks one (each variant of the union), fills in what it asks for, confirms, and
// the server runs it inside the /set call; what it answers comes back in `created` and is
// shown here as the variant's server-set values. Nothing is listed or read back: such an
// object has no list, its /get answers notFound and its /query is refused.

import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { Property } from '../../shared/schema/types';
import { useClient } from '../jmap/context';
import { createRecord } from '../jmap/mutations';
import { SetRecordError, type JmapRecord, type SetError } from '../jmap/types';
import { ConfirmDialog } from '../lib/ConfirmDialog';
import { PageHeader } from '../lib/PageHeader';
import { ErrorBanner } from '../lib/Status';
import { useToast } from '../lib/toast';
import { useConsole } from '../schema/context';
import { paths, type Crumb, type NavLink } from '../schema/nav';
import { can, defaultsOf, formFor, formFieldsOf, humanize, recordFields, type ResolvedView } from '../schema/resolve';
import { DynamicForm, type SubmitHelpers, type Values } from './DynamicForm';
import { Field } from './Field';
import { completeRegistry, RegistryContext, useRegistration } from './registry';
import { buildCreate } from './patch';
import { SetErrorBanner } from './SetErrorBanner';
import { showFieldErrors } from './setErrors';
import { initialValues } from './values';
import { VariantChoice } from './VariantChoice';
import { defaultWidgets } from './widgets';
import { midSentence } from './words';
import './forms.css';

interface Props {
  link: NavLink;
  view: ResolvedView;
  /** The variant named in the address (`…/actions/ReloadSettings`), if any. */
  id: string | null;
  crumbs: Crumb[];
}

interface Outcome {
  variant: string;
  created: JmapRecord;
}

export default function ActionPage({ link, view, id, crumbs }: Props) {
  const { doc, permissions } = useConsole();
  const { t } = useTranslation('forms');
  const client = useClient();
  const toast = useToast();
  const navigate = useNavigate();
  const registration = useRegistration();
  const registry = useMemo(() => completeRegistry(registration, defaultWidgets), [registration]);
  const variants = view.shape?.type === 'multiple' ? view.shape.variants : [];
  const variant = variants.find((v) => v.name === id)?.name ?? variants[0]?.name;
  const label = variants.find((v) => v.name === variant)?.label ?? link.name;
  const { schemaName, properties } = recordFields(doc, view, variant);
  const form = formFor(doc, view, variant);
  const [asking, setAsking] = useState<((yes: boolean) => void) | null>(null);
  const [refused, setRefused] = useState<SetError | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const canRun = can(permissions, view.permissionPrefix, 'Create');

  const confirm = () => new Promise<boolean>((resolve) => setAsking(() => resolve));
  const answer = (yes: boolean) => {
    asking?.(yes);
    setAsking(null);
  };

  async function run(values: Values, helpers: SubmitHelpers) {
    if (!(await confirm())) return;
    setRefused(null);
    setFailed(null);
    setOutcome(null);
    try {
      const created = await createRecord(client, view.objectName, buildCreate(properties, values));
      helpers.reset({ values });
      setOutcome({ variant: variant ?? '', created });
      toast(t('action.done', { label }));
    } catch (e) {
      if (e instanceof SetRecordError) {
        showFieldErrors(e.error, { doc, properties }, helpers.setError, midSentence(label));
        setRefused(e.error);
      } else setFailed((e as Error).message);
    }
  }

  return (
    <>
      <PageHeader crumbs={crumbs} title={link.name} subtitle={view.entry.description} />
      {variants.length > 1 && (
        <VariantChoice
          label={t('action.choice')} variants={variants} value={variant}
          onChange={(v) => {
            setOutcome(null);
            setRefused(null);
            navigate(paths.record(link, v), { replace: true });
          }}
        />
      )}
      <DynamicForm
        key={variant ?? 'single'}
        view={view}
        form={{ ...form, title: label }}
        properties={properties}
        defaults={defaultsOf(doc, schemaName)}
        initial={{ values: initialValues(doc, schemaName, variant) }}
        mode="create"
        canWrite={canRun}
        submitLabel={t('action.run', { label })}
        onSubmit={run}
        banner={refused ? <SetErrorBanner error={refused} singularName={midSentence(label)} /> : failed ? <ErrorBanner>{failed}</ErrorBanner> : null}
      />
      {!canRun && <p className="banner banner-info">{t('action.notAllowed', { name: midSentence(link.name), permission: `${view.permissionPrefix ?? ''}Create` })}</p>}
      {outcome && outcome.variant === variant && (
        <RegistryContext.Provider value={registry}>
          <Result label={label} properties={properties} order={formFieldsOf(form).map((f) => f.name)} created={outcome.created} labels={Object.fromEntries(formFieldsOf(form).map((f) => [f.name, f.label]))} />
        </RegistryContext.Provider>
      )}
      <ConfirmDialog open={asking !== null} title={t('action.runQuestion', { label })} confirmLabel={t('action.run', { label })} onConfirm={() => answer(true)} onCancel={() => answer(false)}>
        <p>{view.entry.description ? t('action.runsNowWhat', { what: midSentence(view.entry.description.replace(/\.$/, '')) }) : t('action.runsNow')}</p>
      </ConfirmDialog>
    </>
  );
}

/** What the server answered: the variant's server-set values, in the form's order, read-only. */
function Result({ label, properties, order, labels, created }: { label: string; properties: Record<string, Property>; order: string[]; labels: Record<string, string>; created: JmapRecord }) {
  const { t } = useTranslation('forms');
  const names = [...new Set([...order, ...Object.keys(properties)])].filter((n) => properties[n]?.update === 'serverSet' && created[n] !== undefined);
  return (
    <section className="form-section action-result" aria-labelledby="action-result">
      <h2 id="action-result">{t('action.result', { label })}</h2>
      {names.length === 0 ? (
        <p>{t('action.noProblem')}</p>
      ) : (
        names.map((n) => (
          <Field key={n} id={`result-${n}`} name={n} label={labels[n] ?? humanize(n)} type={properties[n].type} value={created[n]} onChange={() => undefined} readOnly />
        ))
      )}
    </section>
  );
}
