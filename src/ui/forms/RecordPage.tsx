// The page of one record (or a new one, or a singleton): loads it, shows the generated
// form, saves only what changed, explains what the server refused, resolves a conflict
// field by field, keeps a draft across reloads, and shows built-in records read-only.

import { useMemo, useRef, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Trans, useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useClient } from '../jmap/context';
import { ConflictError, destroyRecords, invalidateObject, useSaveRecord } from '../jmap/mutations';
import { recordQueryOptions } from '../jmap/queries';
import { SetRecordError } from '../jmap/types';
import { ConfirmDialog } from '../lib/ConfirmDialog';
import { PageHeader } from '../lib/PageHeader';
import { useToast } from '../lib/toast';
import { ErrorBanner, Loading } from '../lib/Status';
import { useFailure } from '../lib/useFailure';
import { removalLabel } from '../schema/actions';
import { useConsole } from '../schema/context';
import { paths, type Crumb, type NavLink } from '../schema/nav';
import { lacksEnterprise } from '../schema/edition';
import { can, creatableVariants, defaultsOf, formFor, labelPropertyOf, recordFields, type ResolvedView } from '../schema/resolve';
import { compareVersions, mergeChoices } from './conflict';
import { ConflictPanel } from './ConflictPanel';
import { draftKey, readDraft } from './drafts';
import { DynamicForm, type SubmitHelpers, type Values, type Version } from './DynamicForm';
import { useRegistration } from './registry';
import { buildCreate, buildPatch } from './patch';
import { SetErrorBanner } from './SetErrorBanner';
import { handOver, revealedSecrets, RevealedSecrets, takeOver } from './RevealedSecrets';
import { showFieldErrors } from './setErrors';
import type { Problem } from './problem';
import { isUnreachable, unreachableMessage } from './unreachable';
import { carryOver, hideSecrets, initialValues } from './values';
import { VariantChoice } from './VariantChoice';
import { noun } from './words';
import { RelatedRecords } from '../lists/RelatedRecords';
import './forms.css';

interface Props {
  link: NavLink;
  view: ResolvedView;
  /** null for a new record. */
  id: string | null;
  /** The breadcrumbs leading to this record (its own label is added here). */
  crumbs: Crumb[];
}

export default function RecordPage({ link, view, id, crumbs: trail }: Props) {
  const { doc, permissions, edition } = useConsole();
  const { t } = useTranslation('forms');
  const client = useClient();
  const queryClient = useQueryClient();
  const saveRecord = useSaveRecord(view.objectName);
  const { panels = {}, recordPanel: RecordPanel } = useRegistration();
  const navigate = useNavigate();
  const isNew = id === null;
  const record = useQuery({ ...recordQueryOptions(client, view.objectName, id ?? ''), enabled: !isNew });
  const loadFailure = useFailure(record);
  const union = view.shape?.type === 'multiple' ? view.shape.variants : undefined;
  const loaded = record.data?.record;
  const loadedType = typeof loaded?.['@type'] === 'string' ? loaded['@type'] : undefined;
  // The person picks the type of a new record of a union (among the variants a client may
  // create), and of a union-typed singleton (its backend); an existing record keeps its own.
  const switchable = !!union && !view.fixedVariant && (isNew || view.singleton);
  const choices = union ? (isNew ? creatableVariants(doc, union) : union) : [];
  const draftAt = draftKey(view.viewName, id);
  // Each picked type keeps a draft of its own; a new record opens on the type that has one.
  const draftFor = (v: string | undefined) => (switchable && v && v !== loadedType ? `${draftAt}/${v}` : draftAt);
  const [chosenVariant, setChosenVariant] = useState<string | undefined>(() =>
    isNew ? view.fixedVariant ?? (choices.find((v) => readDraft(draftFor(v.name)))?.name ?? choices[0]?.name) : undefined,
  );
  const variant = isNew ? chosenVariant : (view.singleton && chosenVariant) || loadedType || view.fixedVariant;
  const { schemaName, properties } = recordFields(doc, view, variant);
  // What is sent: never a field the server's edition lacks (its default included).
  const sendable = useMemo(
    () => (lacksEnterprise(edition) ? Object.fromEntries(Object.entries(properties).filter(([, p]) => !p.enterprise)) : properties),
    [edition, properties],
  );
  const form = formFor(doc, view, variant);
  const defaults = defaultsOf(doc, schemaName);
  // What was typed under each type, so picking a type again finds it as it was left; a
  // type picked for the first time starts with what it shares with the one just left.
  const typed = useRef<Record<string, Values>>({});
  const lastLeft = useRef<Values | undefined>(undefined);
  const keepFor = (v: string | undefined) =>
    switchable && v
      ? {
          // Read as the form opens, after the one left has handed its values over.
          values: () => typed.current[v] ?? (lastLeft.current && carryOver(initialValues(doc, schemaName, v), lastLeft.current)),
          onLeave: (values: Values) => {
            typed.current[v] = values;
            lastLeft.current = values;
          },
        }
      : undefined;
  // The record and the state it was read at travel together into the form, which holds
  // the version being edited; a save names that version's state. Secrets are never shown.
  const loadedState = record.data?.state;
  const initial = useMemo(
    (): Version => (isNew ? { values: initialValues(doc, schemaName, union ? variant : undefined) } : { values: hideSecrets(doc, properties, loaded ?? {}), state: loadedState }),
    [isNew, doc, schemaName, union, variant, loaded, loadedState, properties],
  );
  const lacking = lacksEnterprise(edition) && !!(view.entry.enterprise || doc.objects[view.objectName]?.enterprise);

  const [problem, setProblem] = useState<Problem | null>(null);
  // Success is a passing notice (a toast), not a banner that stays or survives a reload.
  const toast = useToast();
  const [confirmDelete, setConfirmDelete] = useState(false);
  // A created record's one-time secrets (a new API key) live here only, not in history.
  const [revealed] = useState(() => (id ? takeOver(`${view.objectName}/${id}`) : []));

  const list = view.list;
  const singular = noun(list?.singularName ?? t('record.singular'));
  const removal = removalLabel(list?.itemActions);
  // A record holding content (a queued message) is confirmed even when its removal has a name of its own.
  const holdsContent = Object.values(properties).some((p) => p.type.type === 'blobId');
  const labelProp = labelPropertyOf(doc, view.viewName);
  const recordLabel = loaded && labelProp && typeof loaded[labelProp] === 'string' && loaded[labelProp] ? String(loaded[labelProp]) : id;
  const title = view.singleton ? link.name : isNew ? t('record.newTitle', { singular }) : recordLabel ?? singular;
  const crumbs = view.singleton ? trail : [...trail, { label: isNew ? t('record.newCrumb') : (recordLabel ?? '') }];
  // A record the server made (the built-in Administrator role) can be neither changed nor deleted.
  const builtInProperty = doc.objects[view.objectName]?.builtInProperty;
  const builtIn = !!builtInProperty && loaded?.[builtInProperty] === true;
  const canWrite = !builtIn && !lacking && can(permissions, view.permissionPrefix, isNew ? 'Create' : 'Update');
  const canDestroy = !builtIn && !lacking && !isNew && !view.singleton && can(permissions, view.permissionPrefix, 'Destroy');
  const fields = form.sections.flatMap((sec) => sec.fields);
  const labels = Object.fromEntries(fields.map((f) => [f.name, f.label]));

  /** Someone else saved first: set beside the edit what they changed, from the server's version now. */
  async function conflicted(values: Values, helpers: SubmitHelpers) {
    const fresh = (await record.refetch()).data;
    if (!fresh?.record) return setProblem({ kind: 'gone' });
    const theirs: Version = { values: hideSecrets(doc, properties, fresh.record), state: fresh.state };
    const changes = compareVersions(fields.map((f) => f.name), helpers.base.values, values, theirs.values);
    // Only values the server keeps changed (a mailbox's usage as mail arrives): nobody else
    // edited the record, so the save goes on over the server's version (a few times at most).
    if (changes.every((c) => properties[c.name]?.update === 'serverSet') && serverOnlyRetries.current < 3) {
      serverOnlyRetries.current++;
      helpers.rebase(theirs, mergeChoices(Object.keys(properties), helpers.base.values, values, theirs.values, {}));
      return helpers.submit();
    }
    setProblem({ kind: 'conflict', changes, theirs, mine: values, base: helpers.base, helpers });
  }

  const serverOnlyRetries = useRef(0);

  async function save(values: Values, helpers: SubmitHelpers) {
    setProblem(null);
    try {
      if (isNew) {
        const { record: created } = await saveRecord.mutateAsync({ kind: 'create', value: buildCreate(sendable, values) });
        helpers.reset({ values });
        handOver(`${view.objectName}/${created.id}`, revealedSecrets(properties, labels, created));
        toast(t('record.created', { singular }));
        navigate(paths.record(link, created.id), { replace: true });
        return;
      }
      const patch = buildPatch(doc, sendable, helpers.base.values, values);
      if (Object.keys(patch).length === 0) return;
      const saved = await saveRecord.mutateAsync({ kind: 'update', id, patch, values: { ...helpers.base.values, ...values }, state: helpers.base.state });
      helpers.reset({ values: hideSecrets(doc, properties, saved.record), state: saved.state });
      serverOnlyRetries.current = 0;
      toast(t('record.saved'));
    } catch (e) {
      if (e instanceof SetRecordError) {
        const elsewhere = showFieldErrors(e.error, { doc, properties }, helpers.setError, singular, new Set(fields.map((f) => f.name)));
        setProblem({ kind: 'refused', error: e.error, elsewhere: elsewhere.map((m) => m.replace(/^[^:]+/, (n) => labels[n] ?? n)) });
      } else if (e instanceof ConflictError) {
        if (e.destroyed) setProblem({ kind: 'gone' });
        else await conflicted(values, helpers).catch((err: unknown) => setProblem(failure(err)));
      } else {
        setProblem(failure(e));
      }
    }
  }

  function failure(e: unknown): Problem {
    return isUnreachable(e) ? { kind: 'message', message: unreachableMessage() } : { kind: 'message', message: (e as Error).message };
  }

  function resolve(p: Extract<Problem, { kind: 'conflict' }>, choices: Parameters<typeof mergeChoices>[4]) {
    const merged = mergeChoices(Object.keys(properties), p.base.values, p.mine, p.theirs.values, choices);
    setProblem(null);
    p.helpers.rebase(p.theirs, merged);
    p.helpers.submit();
  }

  async function onDelete() {
    setConfirmDelete(false);
    try {
      const refused = await destroyRecords(client, view.objectName, [id!]);
      const refusal = Object.values(refused)[0];
      if (refusal) return setProblem({ kind: 'refused', error: refusal, elsewhere: [] });
      await invalidateObject(queryClient, view.objectName);
      navigate(paths.list(link), { replace: true });
    } catch (e) {
      setProblem(failure(e));
    }
  }

  let banner: ReactNode = null;
  if (problem?.kind === 'refused') banner = <SetErrorBanner error={problem.error} singularName={singular} elsewhere={problem.elsewhere} />;
  else if (problem?.kind === 'conflict') {
    const p = problem;
    banner = (
      <ConflictPanel
        changes={p.changes} labels={labels} properties={properties} singularName={singular}
        onSave={(choices) => resolve(p, choices)}
        onDiscard={() => {
          setProblem(null);
          p.helpers.reset(p.theirs);
          toast(t('record.discarded', { singular }));
        }}
      />
    );
  } else if (problem?.kind === 'gone') {
    banner = (
      <ErrorBanner>
        <Trans t={t} i18nKey="record.gone" values={{ singular }} components={{ link: <Link to={paths.list(link)} /> }} />
      </ErrorBanner>
    );
  } else if (problem) banner = <ErrorBanner>{problem.message}</ErrorBanner>;

  const Extra = panels[view.objectName];

  return (
    <>
      <PageHeader
        crumbs={crumbs}
        title={title}
        subtitle={view.singleton ? view.entry.description : form.subtitle}
        actions={
          canDestroy && (
            <button type="button" className="btn btn-danger-outline" onClick={() => (removal && !holdsContent ? void onDelete() : setConfirmDelete(true))}>
              {removal ?? t('record.delete', { singular })}
            </button>
          )
        }
      />
      {builtIn && (
        <p className="banner banner-info builtin-note">
          {t('record.builtIn', { singular })}
        </p>
      )}
      {lacking && <p className="banner banner-info">{t('record.enterprise', { note: t('enterpriseNote'), edition })}</p>}
      <RevealedSecrets secrets={revealed} />
      {loadFailure.error !== undefined ? (
        <ErrorBanner error={loadFailure.error} retrying={loadFailure.retrying} onRetry={() => void record.refetch()} />
      ) : !isNew && record.isPending ? (
        <Loading />
      ) : !isNew && !loaded ? (
        <p className="banner banner-info">
          <Trans t={t} i18nKey="record.missing" values={{ singular }} components={{ link: <Link to={paths.list(link)} /> }} />
        </p>
      ) : (
        <>
          {union && !view.fixedVariant && (
            <VariantChoice variants={choices} value={variant} onChange={setChosenVariant} readOnly={!switchable || !canWrite} />
          )}
          <DynamicForm
            key={variant ?? 'single'}
            view={view}
            form={form}
            keep={keepFor(variant)}
            properties={properties}
            defaults={defaults}
            initial={initial}
            mode={isNew ? 'create' : 'edit'}
            canWrite={canWrite}
            submitLabel={isNew ? t('record.create', { singular }) : t('record.saveChanges')}
            onSubmit={save}
            cancelTo={view.singleton ? undefined : paths.list(link)}
            banner={banner}
            draftKey={draftFor(union ? variant : undefined)}
            aside={Extra ? (control) => <Extra control={control} recordId={id} /> : undefined}
          />
          {!isNew && !view.singleton && <RelatedRecords viewName={view.viewName} id={id} />}
          {!isNew && RecordPanel && <RecordPanel objectName={view.objectName} recordId={id} />}
        </>
      )}
      <ConfirmDialog open={confirmDelete} title={t('record.confirmDelete', { action: removal ?? t('record.deleteWord'), singular, label: recordLabel ?? '' })} confirmLabel={removal ?? t('record.deleteWord')} danger onConfirm={() => void onDelete()} onCancel={() => setConfirmDelete(false)}>
        <p>{t('record.undone')}</p>
      </ConfirmDialog>
    </>
  );
}
