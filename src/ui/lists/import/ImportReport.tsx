// The report after an import: how many were created, each row not imported with its line,
// field and the server's words, rows whose fate is unknown or that were never tried, and
// the rows not imported as a CSV file to fix and import again.

import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { csvReport, notImported, type ReportLine } from './report';
import type { ImportOutcome } from './requests';
import { keyOf, type Checked } from './useImport';

export function ImportReport({ checked, outcome, onAnother, onClose }: { checked: Checked; outcome: ImportOutcome; onAnother: () => void; onClose: () => void }) {
  const { t } = useTranslation('import');
  const lines: ReportLine[] = notImported(checked, outcome);
  const unknown = checked.rows.filter((r) => outcome.unknown.has(keyOf(r.line))).map((r) => r.line);
  const notTried = checked.rows.filter((r) => outcome.notTried.has(keyOf(r.line))).map((r) => r.line);
  const failedRows = new Set(lines.map((l) => l.line)).size;
  const stopped = outcome.stopped;
  // The progress bar is gone: focus moves to the report.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const download = () => {
    const blob = new Blob([csvReport(checked, outcome)], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = checked.fileName.replace(/(\.csv)?$/i, '-not-imported.csv');
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  return (
    <div className="dialog-body">
      <h3 ref={heading} tabIndex={-1}>
        {t('report.title')}
      </h3>
      <ul className="import-counts" aria-label={t('report.title')}>
        <li className="import-count-ok">{t('report.created', { count: outcome.created.size })}</li>
        <li>{t('report.notImported', { count: failedRows })}</li>
        {unknown.length > 0 && <li>{t('report.unknown', { count: unknown.length })}</li>}
        {notTried.length > 0 && <li>{t('report.notTried', { count: notTried.length })}</li>}
      </ul>
      {stopped && (
        <p role="alert" className="banner banner-error">
          {stopped.kind === 'cancelled'
            ? t('report.cancelled')
            : stopped.kind === 'refused'
              ? t('report.refused', { error: stopped.error.message })
              : t('report.failed', { error: stopped.error instanceof Error ? stopped.error.message : String(stopped.error) })}
        </p>
      )}
      {unknown.length > 0 && <p>{t('report.unknownLines', { lines: unknown.join(', ') })}</p>}
      {notTried.length > 0 && <p>{t('report.notTriedLines', { lines: notTried.join(', ') })}</p>}
      {lines.length > 0 && (
        <div className="table-wrap import-table" role="region" tabIndex={0} aria-label={t('report.failures')}>
          <table className="table table-compact">
            <caption>{t('report.failures')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('preview.line')}</th>
                <th scope="col">{t('report.field')}</th>
                <th scope="col">{t('report.error')}</th>
              </tr>
            </thead>
            <tbody>
              {lines.map((l, i) => (
                <tr key={i}>
                  <th scope="row">{l.line}</th>
                  <td>{l.field ?? t('report.wholeRow')}</td>
                  <td>{l.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div className="dialog-actions">
        {failedRows + unknown.length + notTried.length > 0 && (
          <button type="button" className="btn" onClick={download}>
            {t('report.download')}
          </button>
        )}
        <button type="button" className="btn" onClick={onAnother}>
          {t('report.again')}
        </button>
        <button type="button" className="btn btn-primary" onClick={onClose}>
          {t('close')}
        </button>
      </div>
    </div>
  );
}
