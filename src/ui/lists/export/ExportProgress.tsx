// A list page's "Export CSV": the run (exportList.ts) with its progress bar ("n of N") and
// Cancel, then the file handed to the browser as `<type>-<date>.csv`.

import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n/format';
import { useClient } from '../../jmap/context';
import { explainError } from '../../lib/errors';
import { useToast } from '../../lib/toast';
import { batchLimits } from '../batches';
import { EXPORT_PAGE, exportCsv, exportFileName, type ExportRequest } from './exportList';

interface Running { written: number; total: number | undefined }

function download(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  // The browser has started reading it by then.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** `typeName`: what the file is named after; `pluralName`: what the words call the records. */
export function useCsvExport(typeName: string, pluralName: string) {
  const { t } = useTranslation('lists');
  const client = useClient();
  const toast = useToast();
  const [running, setRunning] = useState<Running | null>(null);
  const [error, setError] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  async function start(request: ExportRequest) {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setError(null);
    setRunning({ written: 0, total: undefined });
    try {
      const { pageSize } = await batchLimits(client);
      const { chunks, rows, changed } = await exportCsv(client, request, {
        pageSize: Math.min(EXPORT_PAGE, pageSize), signal: controller.signal,
        onProgress: (written, total) => setRunning({ written, total }),
      });
      download(new Blob(chunks, { type: 'text/csv;charset=utf-8' }), exportFileName(typeName, new Date()));
      const done = t('export.done', { n: formatNumber(rows), what: pluralName });
      toast(changed ? `${done} ${t('export.changed')}` : done);
    } catch (e) {
      if (!controller.signal.aborted) setError(explainError(e).message);
    } finally {
      if (abort.current === controller) {
        abort.current = null;
        setRunning(null);
      }
    }
  }

  function cancel() {
    abort.current?.abort();
    abort.current = null;
    setRunning(null);
    toast(t('export.cancelled'));
  }

  return { running, error, start, cancel, dismiss: () => setError(null) };
}

export function ExportProgress({ exporting, pluralName }: { exporting: ReturnType<typeof useCsvExport>; pluralName: string }) {
  const { t } = useTranslation('lists');
  const id = useId();
  const { running, error } = exporting;
  if (error) {
    return (
      <div className="banner banner-error" role="alert">
        <p>{t('export.failed', { error })}</p>
        <button type="button" className="btn btn-small" onClick={exporting.dismiss}>{t('export.dismiss')}</button>
      </div>
    );
  }
  if (!running) return null;
  const { written, total } = running;
  return (
    <div className="export-progress" role="region" aria-label={t('export.region')}>
      <label htmlFor={id}>{t('export.running', { what: pluralName })}</label>
      <progress id={id} max={total ?? undefined} value={total === undefined ? undefined : written} />
      <span>{total === undefined ? t('export.starting') : t('export.count', { n: formatNumber(written), total: formatNumber(total) })}</span>
      <button type="button" className="btn btn-small" onClick={exporting.cancel}>{t('export.cancel')}</button>
    </div>
  );
}
