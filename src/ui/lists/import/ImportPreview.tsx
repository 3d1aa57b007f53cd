// The preview: every row of the file as a table (the line number heads each row), each
// error in the cell it is about and tied to it (aria-describedby), rows with errors first
// to find; the columns left out; whether the server or only the console checked.

import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Checked } from './useImport';
import type { Row } from './rows';
import { isSecretColumn } from './columns';

/** Rows drawn at most: a long file shows its rows with errors and says how many it left out. */
const MAX_SHOWN = 300;

export function ImportPreview({ checked, onImport, onAnother, onClose }: { checked: Checked; onImport: () => void; onAnother: () => void; onClose: () => void }) {
  const { t } = useTranslation('import');
  const id = useId();
  const { rows, plan } = checked;
  const bad = rows.filter((r) => r.errors.length > 0);
  const ready = rows.length - bad.length;
  const [onlyErrors, setOnlyErrors] = useState(bad.length > 0 && rows.length > MAX_SHOWN);
  const shown = (onlyErrors ? bad : rows).slice(0, MAX_SHOWN);
  const ignored = plan.columns.filter((c) => c.ignored);
  const used = plan.columns.filter((c) => !c.ignored);
  // The file input is gone: focus moves to what the check found.
  const summary = useRef<HTMLParagraphElement>(null);
  useEffect(() => summary.current?.focus(), []);
  const rowErrors = (r: Row) => r.errors.filter((e) => e.column < 0 || plan.columns[e.column]?.ignored);
  return (
    <div className="dialog-body">
      <p className="banner banner-info">{checked.byServer ? t('preview.byServer') : t('preview.byConsole')}</p>
      {ignored.length > 0 && (
        <div className="import-ignored">
          <p>{t('columns.ignored')}</p>
          <ul>
            {ignored.map((c) => (
              <li key={c.index}>{t(`columns.${c.ignored!}`, { header: c.header })}</li>
            ))}
          </ul>
        </div>
      )}
      <p role="status" ref={summary} tabIndex={-1}>
        {t('preview.ready', { count: ready })} {bad.length > 0 && t('preview.errors', { count: bad.length })}
      </p>
      {bad.length > 0 && (
        <label className="check">
          <input type="checkbox" checked={onlyErrors} onChange={(e) => setOnlyErrors(e.currentTarget.checked)} /> {t('preview.onlyErrors')}
        </label>
      )}
      <div className="table-wrap import-table" role="region" tabIndex={0} aria-label={t('preview.caption', { file: checked.fileName })}>
        <table className="table table-compact">
          <caption className="sr-only">{t('preview.caption', { file: checked.fileName })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('preview.line')}</th>
              <th scope="col">{t('preview.status')}</th>
              {used.map((c) => (
                <th scope="col" key={c.index}>
                  {c.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => {
              const whole = rowErrors(r);
              const statusId = `${id}-l${r.line}`;
              return (
                <tr key={r.line} className={r.errors.length ? 'import-bad' : undefined}>
                  <th scope="row">{r.line}</th>
                  <td id={statusId}>
                    {r.errors.length ? <strong className="field-error">{t('preview.problems', { count: r.errors.length })}</strong> : t('preview.ok')}
                    {whole.map((e, i) => (
                      <p key={i} className="field-error">
                        {e.message}
                      </p>
                    ))}
                  </td>
                  {used.map((c) => {
                    const errs = r.errors.filter((e) => e.column === c.index);
                    const errId = `${id}-l${r.line}-c${c.index}`;
                    return (
                      <td key={c.index} className={errs.length ? 'import-cell-bad' : undefined} aria-describedby={errs.length ? errId : undefined}>
                        <span className="import-value">{isSecretColumn(plan, c) && r.cells[c.index] ? '••••••' : r.cells[c.index]}</span>
                        {errs.length > 0 && (
                          <span id={errId} className="field-error import-cell-error">
                            {errs.map((e) => e.message).join(' ')}
                          </span>
                        )}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {shown.length < (onlyErrors ? bad : rows).length && <p className="hint">{t('preview.shown', { shown: shown.length, count: (onlyErrors ? bad : rows).length })}</p>}
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onClose}>
          {t('close')}
        </button>
        <button type="button" className="btn" onClick={onAnother}>
          {t('preview.another')}
        </button>
        <button type="button" className="btn btn-primary" onClick={onImport} disabled={ready === 0}>
          {t('preview.import', { count: ready })}
        </button>
      </div>
    </div>
  );
}
