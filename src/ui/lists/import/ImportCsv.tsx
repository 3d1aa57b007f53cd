// "Import CSV" on a list page: a modal with the file, the preview of every row with the
// server's verdict, the import's progress and its report. Shown only to callers who may create.

import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { List } from '../../../shared/schema/types';
import { useConsole } from '../../schema/context';
import type { ResolvedView } from '../../schema/resolve';
import { ImportPreview } from './ImportPreview';
import { ImportReport } from './ImportReport';
import { useImport, type FileProblem } from './useImport';
import { importableLabels, planColumns } from './columns';
import { MAX_FILE_BYTES, MAX_ROWS } from './limits';
import { formatBytes, formatNumber } from '../../i18n/format';
import './import.css';

type Names = Pick<List, 'singularName' | 'pluralName'>;

export function ImportCsv({ view, list }: { view: ResolvedView; list: Names }) {
  const { t } = useTranslation('import');
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="btn" onClick={() => setOpen(true)}>
        {t('open')}
      </button>
      {open && <ImportDialog view={view} list={list} onClosed={() => setOpen(false)} />}
    </>
  );
}

function ImportDialog({ view, list, onClosed }: { view: ResolvedView; list: Names; onClosed: () => void }) {
  const { t } = useTranslation('import');
  const { doc } = useConsole();
  const imp = useImport(view, list.singularName);
  const { phase, checked } = imp;
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const fileId = useId();
  const hintId = useId();
  const progressId = useId();
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  const close = () => ref.current?.close();
  // Back at the file (a problem with it, or "Import another file"): the keyboard goes to the file input,
  // which was disabled or gone meanwhile.
  const fileInput = useRef<HTMLInputElement>(null);
  const step = useRef(phase.step);
  // The preview's Import button is gone once the import runs: the keyboard goes to its progress.
  const progressLabel = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (phase.step === 'choose' && step.current !== 'choose') fileInput.current?.focus();
    if (phase.step === 'importing' && step.current !== 'importing') progressLabel.current?.focus();
    step.current = phase.step;
  }, [phase.step]);
  // Leaving the page mid-import would lose the report: the browser asks first.
  const importing = phase.step === 'importing';
  useEffect(() => {
    if (!importing) return;
    const ask = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [importing]);
  // What the header may name, for the hint: the create form's fields a cell can fill.
  const fields = importableLabels(doc, planColumns(doc, view, []));
  const busy = phase.step === 'checking' || phase.step === 'importing';

  let body;
  switch (phase.step) {
    case 'choose':
    case 'checking':
      body = (
        <div className="dialog-body">
          <div className="field">
            <label htmlFor={fileId}>{t('file.label')}</label>
            <input
              ref={fileInput}
              id={fileId}
              type="file"
              accept=".csv,text/csv"
              aria-describedby={hintId}
              disabled={busy}
              onChange={(e) => {
                const f = e.currentTarget.files?.[0];
                // Emptied, so the same file, fixed under the same name, can be chosen again.
                e.currentTarget.value = '';
                if (f) void imp.choose(f);
              }}
            />
            <p id={hintId} className="hint">
              {t('file.hint', { fields: fields.join(', ') })}
            </p>
          </div>
          {phase.step === 'checking' && (
            <p role="status">
              {t('checking')} {phase.total ? t('checked', { done: formatNumber(phase.done ?? 0), total: formatNumber(phase.total) }) : null}
            </p>
          )}
          {phase.step === 'choose' && phase.problem && (
            <p role="alert" className="banner banner-error">
              {problemText(t, phase.problem)}
            </p>
          )}
          <div className="dialog-actions">
            <button type="button" className="btn" onClick={close} disabled={busy}>
              {t('close')}
            </button>
          </div>
        </div>
      );
      break;
    case 'preview':
      body = checked && <ImportPreview checked={checked} onImport={() => void imp.start()} onAnother={imp.reset} onClose={close} />;
      break;
    case 'importing':
      body = (
        <div className="dialog-body">
          <p id={progressId} ref={progressLabel} tabIndex={-1} className="import-progress-label">
            {t('progress.label')}
          </p>
          <progress className="import-progress" max={phase.total} value={phase.done} aria-labelledby={progressId} aria-valuetext={t('progress.value', { done: phase.done, total: phase.total })} />
          <p aria-live="polite">{phase.cancelling ? t('progress.cancelling') : t('progress.value', { done: phase.done, total: phase.total })}</p>
          <div className="dialog-actions">
            <button type="button" className="btn" onClick={imp.stop} disabled={phase.cancelling}>
              {t('progress.cancel')}
            </button>
          </div>
        </div>
      );
      break;
    case 'report':
      body = checked && <ImportReport checked={checked} outcome={phase.outcome} onAnother={imp.reset} onClose={close} />;
      break;
  }
  return (
    // Escape does not close it while rows are checked or created: the report must follow.
    <dialog ref={ref} className="dialog import-dialog" aria-labelledby={titleId} onCancel={(e) => busy && e.preventDefault()} onClose={onClosed}>
      <h2 id={titleId}>{t('title', { plural: list.pluralName })}</h2>
      {body}
    </dialog>
  );
}

function problemText(t: ReturnType<typeof useTranslation<'import'>>['t'], p: FileProblem): string {
  switch (p.kind) {
    case 'empty':
      return t('file.empty');
    case 'noColumns':
      return t('file.noColumns');
    case 'unclosedQuote':
      return t('file.unclosedQuote', { line: p.line });
    case 'textAfterQuote':
      return t('file.textAfterQuote', { line: p.line });
    case 'tooBig':
      return t('file.tooBig', { max: formatBytes(MAX_FILE_BYTES) });
    case 'tooManyRows':
      return t('file.tooManyRows', { n: formatNumber(p.count ?? 0), max: formatNumber(MAX_ROWS) });
    case 'failed':
      return t('file.failed', { detail: p.detail });
  }
}
