// Below a record's form: its parts (related.ts), one section each, with their list's
// columns, server-side filtered by this record; parts can be added (the reference filled
// in) and removed (a plain delete asks first).

import { useEffect, useRef, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { SetErrorBanner } from '../forms/SetErrorBanner';
import { useClient } from '../jmap/context';
import { listQueryOptions } from '../jmap/queries';
import type { JmapRecord } from '../jmap/types';
import { ConfirmDialog } from '../lib/ConfirmDialog';
import { formatNumber } from '../i18n/format';
import { explainError } from '../lib/errors';
import { Loading } from '../lib/Status';
import { useConsole } from '../schema/context';
import { lacksEnterprise } from '../schema/edition';
import { linkForObject, paths } from '../schema/nav';
import { can, listProperties, resolveView } from '../schema/resolve';
import { useCells } from './columns';
import { RelatedCreate } from './RelatedCreate';
import { relationsOf, type Relation } from './related';
import './related.css';
import { useDeletion } from './useDeletion';

/** How many related records a section shows; the rest are in the full list. */
const SHOWN = 50;

export function RelatedRecords({ viewName, id }: { viewName: string; id: string }) {
  const { doc, permissions, edition } = useConsole();
  const relations = relationsOf(doc, viewName).filter((r) => {
    const target = resolveView(doc, r.viewName);
    const enterprise = !!(target?.entry.enterprise || doc.objects[r.objectName]?.enterprise);
    return target && !(enterprise && lacksEnterprise(edition)) && can(permissions, target.permissionPrefix, 'Query');
  });
  if (relations.length === 0) return null;
  return (
    <div className="related">
      {relations.map((r) => (
        <RelatedSection key={`${r.objectName}/${r.fieldName}`} relation={r} id={id} />
      ))}
    </div>
  );
}

function RelatedSection({ relation, id }: { relation: Relation; id: string }) {
  const { t } = useTranslation('lists');
  const { doc, links, permissions } = useConsole();
  const client = useClient();
  const view = resolveView(doc, relation.viewName)!;
  const { list, fieldName, objectName } = relation;
  const properties = listProperties(doc, view);
  // This record's own column says nothing here.
  const columns = list.columns.filter((c) => c.name !== fieldName);
  const shownList = { ...list, columns };
  const labelProp = list.labelProperty ?? columns[0]?.name;
  const args = {
    // The list's own condition (a view's) and this record; none of the list page's filters.
    filter: { ...(list.filtersStatic ?? {}), [fieldName]: id },
    sort: list.sort,
    position: 0,
    limit: SHOWN,
    properties: [...new Set(['id', ...(labelProp ? [labelProp] : []), ...columns.map((c) => c.name)])],
  };
  const query = useQuery(listQueryOptions(client, objectName, args));
  const records = query.data?.records ?? [];
  const cells = useCells(records, shownList, properties, objectName);
  const labelOf = (r: JmapRecord) => String((labelProp && r[labelProp]) || r.id);
  const labelOfId = (rid: string) => labelOf(records.find((r) => r.id === rid) ?? { id: rid });
  const deletion = useDeletion(objectName, list, labelOfId, () => undefined);
  const [creating, setCreating] = useState(false);
  // Back to "New …" once the form closes (created or cancelled), so the keyboard stays here.
  const newButton = useRef<HTMLButtonElement>(null);
  const wasCreating = useRef(false);
  useEffect(() => {
    if (wasCreating.current && !creating) newButton.current?.focus();
    wasCreating.current = creating;
  }, [creating]);
  const link = linkForObject(doc, links, relation.viewName);
  const headingId = `related-${objectName.replace(/[^A-Za-z0-9]/g, '-')}-${fieldName}`;
  const canDestroy = can(permissions, view.permissionPrefix, 'Destroy') && (!list.itemActions || list.itemActions.some((a) => a.type === 'delete'));
  const canCreate = relation.creatable && view.shape?.type === 'single' && can(permissions, view.permissionPrefix, 'Create');
  const total = query.data?.total;
  const confirming = deletion.confirming;

  let body;
  if (query.error) {
    // Quietly, beside the record: the record itself loaded (a stopped mail store is no page error).
    body = (
      <p className="muted">
        {t('related.unlisted', { what: list.pluralName.charAt(0).toUpperCase() + list.pluralName.slice(1), error: explainError(query.error).message })}{' '}
        <button type="button" className="btn btn-small" onClick={() => void query.refetch()}>
          {t('retry')}
        </button>
      </p>
    );
  }
  else if (query.isPending) body = <Loading label={t('loading', { what: list.pluralName })} />;
  else if (records.length === 0) body = <p className="muted">{t('related.none', { what: list.pluralName })}</p>;
  else {
    body = (
      <div className="table-wrap">
        <table className="table" aria-labelledby={headingId} aria-busy={query.isFetching}>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.name} scope="col">{c.label}</th>
              ))}
              {canDestroy && (
                <th scope="col" className="col-actions">
                  <span className="sr-only">{t('table.actions')}</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {records.map((r) => (
              <tr key={r.id}>
                {columns.map((c, i) => (
                  <td key={c.name}>
                    {i === 0 && link ? <Link to={paths.record(link, r.id)}>{cells.text(r, c.name) || labelOf(r)}</Link> : cells.show(r, c.name)}
                  </td>
                ))}
                {canDestroy && (
                  <td className="col-actions">
                    <button type="button" className="btn btn-small btn-ghost" aria-label={`${deletion.removal.rowLabel} ${labelOf(r)}`} onClick={() => deletion.removeRow(r.id)}>
                      {deletion.removal.rowLabel}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }

  return (
    <section className="related-section" aria-labelledby={headingId}>
      <div className="related-head">
        <h2 id={headingId}>{relation.title}</h2>
        {total !== undefined && <span className="muted">{formatNumber(total)}</span>}
        {canCreate && !creating && (
          <button ref={newButton} type="button" className="btn btn-small" onClick={() => setCreating(true)}>
            {t('new', { what: list.singularName })}
          </button>
        )}
      </div>
      <div aria-live="polite">
        {deletion.failures.map((f) => (
          <SetErrorBanner key={f.id} error={f.error} singularName={list.singularName} recordLabel={labelOfId(f.id)} />
        ))}
      </div>
      {creating && <RelatedCreate view={view} fieldName={fieldName} parentId={id} onDone={() => setCreating(false)} />}
      {body}
      {link && total !== undefined && total > records.length && (
        <p>
          <Link to={paths.filtered(link, fieldName, id)}>{t('related.all', { n: formatNumber(total), what: list.pluralName })}</Link>
        </p>
      )}
      <ConfirmDialog
        open={confirming !== null}
        title={t('related.ask', { action: deletion.removal.rowLabel, what: list.singularName, label: Array.isArray(confirming) && confirming.length === 1 ? labelOfId(confirming[0]) : '' })}
        confirmLabel={deletion.removal.rowLabel}
        danger={deletion.removal.final}
        onConfirm={() => confirming && void deletion.remove(confirming)}
        onCancel={deletion.cancel}
      >
        {deletion.removal.final && <p>{t('remove.final')}</p>}
      </ConfirmDialog>
    </section>
  );
}
