// Small pieces of a task as the Tasks page and the overview show it: its status badge
// (the schema's label and colour), its progress bar, and when it ended.

import { useTranslation } from 'react-i18next';
import type { Property } from '../../../shared/schema/types';
import type { JmapRecord } from '../../jmap/types';
import { Badge } from '../../lib/Badge';
import { useConsole } from '../../schema/context';
import { formatInstant } from '../../i18n/format';
import { endOf, percent, progressOf, progressWords, statusColor, statusLabel, statusOf } from './model';

export function TaskStatusBadge({ task, properties }: { task: JmapRecord; properties: Record<string, Property> }) {
  const { doc } = useConsole();
  const status = statusOf(task);
  return <Badge label={statusLabel(doc, task, properties)} color={statusColor(doc, status) ?? 'gray'} />;
}

/**
 * A determinate bar (role progressbar, its value the items dealt with out of the total)
 * named after the task; nothing claims progress before the task has counted its work.
 */
export function TaskProgressBar({ task, label }: { task: JmapRecord; label: string }) {
  const { t } = useTranslation('tasks');
  const p = progressOf(task.progress);
  if (!p) return <span className="muted">{statusOf(task) === 'Pending' ? t('progress.notStarted') : '—'}</span>;
  const words = progressWords(p);
  return (
    <div className="task-progress">
      <div
        className="task-progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={p.total}
        aria-valuenow={p.done}
        aria-valuetext={words}
        data-failed={p.failed > 0 || undefined}
      >
        <div className="task-progress-fill" style={{ width: `${percent(p)}%` }} />
      </div>
      <span className="task-progress-words">{words}</span>
    </div>
  );
}

export function EndedAt({ task }: { task: JmapRecord }) {
  const { t } = useTranslation('tasks');
  const end = endOf(task);
  if (!end) return <>—</>;
  return (
    <>
      {formatInstant(end.at)} <span className="muted">{t(`endedHow.${end.how}`)}</span>
    </>
  );
}

export const dateOrDash = (v: unknown) => (typeof v === 'string' && v ? formatInstant(v) : '—');
