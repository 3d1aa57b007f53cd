// The page of one record (or a new one, or a singleton): loads it, shows the generated
// form, saves only what changed, and explains what the server refused.

import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useLocation, useNavigate } from 'react-router';
import { useClient } from '../jmap/context';
import { ConflictError, destroyRecords, invalidateObject, useSaveRecord } from '../jmap/mutations';
import { recordQueryOptions } from '../jmap/queries';
import { SetRecordError, type SetError } from '../jmap/types';
import { ConfirmDialog } from '../lib/ConfirmDialog';
import { PageHeader } from '../lib/PageHeader';
import { ErrorBanner, Loading } from '../lib/Status';
import { removalLabel } from '../schema/actions';
import { useConsole } from '../schema/context';
import { paths, type Crumb, type NavLink } from '../schema/nav';
import { can, defaultsOf, labelPropertyOf, recordFields, type ResolvedView } from '../schema/resolve';
import { DynamicForm, type SubmitHelpers, type Values, type Version } from './DynamicForm';
import { useRegistration } from './registry';
import { buildCreate, buildPatch } from './patch';
import { SetErrorBanner } from './SetErrorBanner';
import { handOver, revealedSecrets, RevealedSecrets, takeOver } from './RevealedSecrets';
import { showFieldErrors } from './setErrors';
import { initialValues } from './values';

interface Props {
  link: NavLink;
  view: ResolvedView;
  /** null for a new record. */
  id: string | null;
  /** The breadcrumbs leading to this record (its own label is added here). */
  crumbs: Crumb[];
}

export default function RecordPage({ link, view, id, crumbs: trail }: Props) {
  const { doc, permissions } = useConsole();
  const client = useClient();
  const queryClient = useQueryClient();
  const saveRecord = useSaveRecord(view.objectName);
  const { panels = {} } = useRegistration();
  const navigate = useNavigate();
  const location = useLocation();
  const isNew = id === null;
  const record = useQuery({ ...recordQueryOptions(client, view.objectName, id ?? ''), enabled: !isNew });
  const union = view.shape?.type === 'multiple' ? view.shape.variants : undefined;
  const [chosenVariant, setChosenVariant] = useState<string | undefined>(view.fixedVariant ?? union?.[0]?.name);
  const loaded = record.data?.record;
  const variant = (loaded?.['@type'] as string | undefined) ?? chosenVariant;
  const { schemaName, properties } = recordFields(doc, view, variant);
  const defaults = defaultsOf(doc, schemaName);
  // The record and the state it was read at travel together into the form, which holds
  // the version being edited; a save names that version's state.
  const loadedState = record.data?.state;
  const initial = useMemo(
    (): Version => (isNew ? { values: initialValues(doc, schemaName, union ? variant : undefined) } : { values: loaded ?? {}, state: loadedState }),
    [isNew, doc, schemaName, union, variant, loaded, loadedState],
  );

  const [problem, setProblem] = useState<{ error: SetError } | { message: string; reload?: boolean } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // Set after mounting, so the live region announces it ("Created role.").
  const arrivedWith = (location.state as { notice?: string } | null)?.notice;
  useEffect(() => {
    if (arrivedWith) setNotice(arrivedWith);
  }, [arrivedWith]);
  const [confirmDelete, setConfirmDelete] = useState(false);
  // A created record's one-time secrets (a new API key) live here only, not in history.
  const [revealed] = useState(() => (id ? takeOver(`${view.objectName}/${id}`) : []));

  const list = view.list;
  const singular = list?.singularName ?? 'record';
  const removal = removalLabel(list?.itemActions);
  const labelProp = labelPropertyOf(doc, view.viewName);
  const recordLabel = loaded && labelProp && typeof loaded[labelProp] === 'string' && loaded[labelProp] ? String(loaded[labelProp]) : id;
  const title = view.singleton ? link.name : isNew ? `New ${singular}` : recordLabel ?? singular;
  const crumbs = view.singleton ? trail : [...trail, { label: isNew ? 'New' : (recordLabel ?? '') }];
  const canWrite = can(permissions, view.permissionPrefix, isNew ? 'Create' : 'Update');
  const canDestroy = !isNew && !view.singleton && can(permissions, view.permissionPrefix, 'Destroy');

  async function save(values: Values, helpers: SubmitHelpers) {
    setProblem(null);
    setNotice(null);
    try {
      if (isNew) {
        const { record: created } = await saveRecord.mutateAsync({ kind: 'create', value: buildCreate(properties, values) });
        helpers.reset({ values });
        const labels = Object.fromEntries(view.form.sections.flatMap((sec) => sec.fields.map((f) => [f.name, f.label])));
        handOver(`${view.objectName}/${created.id}`, revealedSecrets(properties, labels, created));
        navigate(paths.record(link, created.id), { replace: true, state: { notice: `Created ${singular}.` } });
        return;
      }
      const patch = buildPatch(doc, properties, helpers.base.values, values);
      if (Object.keys(patch).length === 0) return;
      const saved = await saveRecord.mutateAsync({ kind: 'update', id, patch, values: { ...helpers.base.values, ...values }, state: helpers.base.state });
      helpers.reset({ values: saved.record, state: saved.state });
      setNotice('Saved.');
    } catch (e) {
      if (e instanceof SetRecordError) {
        showFieldErrors(e.error, { doc, properties }, helpers.setError, singular);
        setProblem({ error: e.error });
      } else if (e instanceof ConflictError) {
        setProblem({ message: e.message, reload: true });
      } else {
        setProblem({ message: (e as Error).message });
      }
    }
  }

  async function onDelete() {
    setConfirmDelete(false);
    try {
      const refused = await destroyRecords(client, view.objectName, [id!]);
      const failure = Object.values(refused)[0];
      if (failure) return setProblem({ error: failure });
      await invalidateObject(queryClient, view.objectName);
      navigate(paths.list(link), { replace: true });
    } catch (e) {
      setProblem({ message: (e as Error).message });
    }
  }

  let banner: ReactNode = null;
  if (problem && 'error' in problem) banner = <SetErrorBanner error={problem.error} singularName={singular} />;
  else if (problem) {
    banner = (
      <ErrorBanner onRetry={problem.reload ? () => { setProblem(null); void record.refetch(); } : undefined}>
        {problem.message}
        {problem.reload && ' Reload to see the current version (your edits will be replaced).'}
      </ErrorBanner>
    );
  }

  const Extra = panels[view.objectName];

  return (
    <>
      <PageHeader
        crumbs={crumbs}
        title={title}
        subtitle={view.singleton ? view.entry.description : view.form.subtitle}
        actions={
          canDestroy && (
            <button type="button" className="btn btn-danger-outline" onClick={() => (removal ? void onDelete() : setConfirmDelete(true))}>
              {removal ?? `Delete ${singular}`}
            </button>
          )
        }
      />
      <div aria-live="polite">{notice && <p className="banner banner-success">{notice}</p>}</div>
      <RevealedSecrets secrets={revealed} />
      {!isNew && record.isPending ? (
        <Loading />
      ) : record.isError ? (
        <ErrorBanner error={record.error} onRetry={() => void record.refetch()} />
      ) : !isNew && !loaded ? (
        <p className="banner banner-info">
          This {singular} does not exist (any more). <Link to={paths.list(link)}>Back to the list</Link>.
        </p>
      ) : (
        <>
          {isNew && union && !view.fixedVariant && (
            <div className="field variant-choice">
              <label htmlFor="record-type">Type</label>
              <select id="record-type" value={variant} onChange={(e) => setChosenVariant(e.target.value)}>
                {union.map((v) => (
                  <option key={v.name} value={v.name}>
                    {v.label}
                  </option>
                ))}
              </select>
            </div>
          )}
          <DynamicForm
            key={variant ?? 'single'}
            view={view}
            properties={properties}
            defaults={defaults}
            initial={initial}
            mode={isNew ? 'create' : 'edit'}
            canWrite={canWrite}
            submitLabel={isNew ? `Create ${singular}` : 'Save changes'}
            onSubmit={save}
            cancelTo={view.singleton ? undefined : paths.list(link)}
            banner={banner}
            aside={Extra ? (control) => <Extra control={control} recordId={id} /> : undefined}
          />
        </>
      )}
      <ConfirmDialog open={confirmDelete} title={`Delete ${singular} ${recordLabel ?? ''}?`} confirmLabel="Delete" danger onConfirm={() => void onDelete()} onCancel={() => setConfirmDelete(false)}>
        <p>This cannot be undone.</p>
      </ConfirmDialog>
    </>
  );
}
