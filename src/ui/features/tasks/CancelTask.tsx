// The Cancel button of one task and the question it asks first. A native modal <dialog>
// keeps focus inside and closes on Escape; it opens on the safe choice (keep it running),
// and focus goes back to the button that opened it.

import { useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JmapRecord } from '../../jmap/types';
import { canBeCancelled, statusOf } from './model';
import { refusalWords, useCancelTask } from './queries';

interface Props {
  task: JmapRecord;
  /** How the task is named in the question and on the button ("Re-index one user"). */
  name: string;
  small?: boolean;
}

export function CancelTask({ task, name, small }: Props) {
  const { t } = useTranslation('tasks');
  const [open, setOpen] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const keep = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const bodyId = useId();
  const cancel = useCancelTask();
  const running = statusOf(task) === 'Running';

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (open && !d.open) {
      d.showModal();
      keep.current?.focus();
    }
    if (!open && d.open) d.close();
  }, [open]);

  const close = () => {
    setOpen(false);
    // After the dialog is gone, so the browser's own focus return cannot win over it.
    setTimeout(() => opener.current?.focus(), 0);
  };

  const confirm = () => {
    cancel.mutate(task.id);
    close();
  };

  // Kept while the question is open: the task may end meanwhile, and the answer then says so.
  if (!canBeCancelled(task) && !cancel.isError && !open) return null;
  return (
    <span className="task-cancel">
      {canBeCancelled(task) && (
        <button
          ref={opener}
          type="button"
          className={small ? 'btn btn-small btn-danger-outline' : 'btn btn-danger-outline'}
          aria-label={small ? t('cancel.buttonLabel', { name }) : undefined}
          aria-haspopup="dialog"
          disabled={cancel.isPending}
          onClick={() => {
            cancel.reset();
            setOpen(true);
          }}
        >
          {small ? t('cancel.button') : t('cancel.task')}
        </button>
      )}
      {cancel.isError && (
        <span className="field-error" role="alert">
          {t('cancel.notCancelled', { reason: refusalWords(cancel.error) })}
        </span>
      )}
      <dialog
        ref={dialog}
        className="dialog"
        aria-labelledby={titleId}
        aria-describedby={bodyId}
        onCancel={(e) => {
          e.preventDefault();
          close();
        }}
      >
        <h2 id={titleId}>{t('cancel.title', { name })}</h2>
        <p id={bodyId} className="dialog-body">
          {running ? t('cancel.running') : t('cancel.waiting')}
        </p>
        <div className="dialog-actions">
          <button ref={keep} type="button" className="btn" onClick={close}>
            {t('cancel.keep')}
          </button>
          <button type="button" className="btn btn-danger" onClick={confirm}>
            {t('cancel.task')}
          </button>
        </div>
      </dialog>
    </span>
  );
}
