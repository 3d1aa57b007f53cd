// "Columns": which of a list's available columns show and in what order. A panel beside
// the list with a checkbox per column and Move up / Move down buttons; each move is
// announced, and the keyboard stays on the button that moved it.

import { useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ArrowDown, ArrowUp, Columns3 } from 'lucide-react';
import type { Column } from './columnChoice';

interface Props {
  available: Column[];
  columns: Column[];
  customized: boolean;
  onToggle: (name: string) => void;
  onMove: (name: string, by: -1 | 1) => void;
  onReset: () => void;
}

export function ColumnsMenu({ available, columns, customized, onToggle, onMove, onReset }: Props) {
  const { t } = useTranslation('lists');
  const [open, setOpen] = useState(false);
  const [said, setSaid] = useState('');
  const id = useId();
  const toggleButton = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const refocus = useRef<string | null>(null);
  const shown = columns.map((c) => c.name);
  const ordered = [...columns, ...available.filter((c) => !shown.includes(c.name))];
  const control = (name: string, what: string) => `${id}-${what}-${name}`;

  useEffect(() => {
    if (!open) return;
    panel.current?.querySelector<HTMLElement>('input')?.focus();
    // A click elsewhere on the page closes it, as a menu would; the focus goes where clicked.
    const away = (e: PointerEvent) => {
      if (!menu.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', away);
    return () => document.removeEventListener('pointerdown', away);
  }, [open]);
  // After a move the row sits elsewhere: the keyboard follows it.
  useLayoutEffect(() => {
    if (!refocus.current) return;
    document.getElementById(refocus.current)?.focus();
    refocus.current = null;
  });

  const close = () => {
    setOpen(false);
    toggleButton.current?.focus();
  };
  const move = (c: Column, by: -1 | 1) => {
    const to = shown.indexOf(c.name) + by;
    onMove(c.name, by);
    const atEnd = to === 0 || to === shown.length - 1;
    refocus.current = control(c.name, atEnd ? (by < 0 ? 'down' : 'up') : by < 0 ? 'up' : 'down');
    setSaid(t('columns.moved', { label: c.label, position: to + 1, of: shown.length }));
  };
  const toggle = (c: Column) => {
    onToggle(c.name);
    // The row moves between the shown and the hidden ones: the keyboard stays on its checkbox.
    refocus.current = control(c.name, 'show');
    setSaid(shown.includes(c.name) ? t('columns.hidden', { label: c.label }) : t('columns.shown', { label: c.label }));
  };

  return (
    <div className="columns-menu" ref={menu}>
      <button ref={toggleButton} type="button" className="btn" aria-expanded={open} aria-controls={`${id}-panel`} onClick={() => (open ? close() : setOpen(true))}>
        <Columns3 aria-hidden="true" size={16} /> {t('columns.button')}
      </button>
      {open && (
        <div
          ref={panel}
          id={`${id}-panel`}
          className="columns-panel"
          role="dialog"
          aria-labelledby={`${id}-title`}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              close();
            }
          }}
        >
          <h2 id={`${id}-title`} className="columns-title">{t('columns.title')}</h2>
          <p className="muted columns-hint">{t('columns.hint')}</p>
          <ul className="columns-list">
            {ordered.map((c) => {
              const at = shown.indexOf(c.name);
              const on = at >= 0;
              return (
                <li key={c.name}>
                  <label>
                    <input id={control(c.name, 'show')} type="checkbox" checked={on} disabled={on && shown.length === 1} onChange={() => toggle(c)} /> {c.label}
                  </label>
                  <span className="columns-moves">
                    <button id={control(c.name, 'up')} type="button" className="btn btn-small btn-ghost" aria-label={t('columns.moveUp', { label: c.label })} disabled={!on || at === 0} onClick={() => move(c, -1)}>
                      <ArrowUp aria-hidden="true" size={14} />
                    </button>
                    <button id={control(c.name, 'down')} type="button" className="btn btn-small btn-ghost" aria-label={t('columns.moveDown', { label: c.label })} disabled={!on || at === shown.length - 1} onClick={() => move(c, 1)}>
                      <ArrowDown aria-hidden="true" size={14} />
                    </button>
                  </span>
                </li>
              );
            })}
          </ul>
          <div className="columns-actions">
            <button type="button" className="btn btn-small" disabled={!customized} onClick={() => { onReset(); setSaid(t('columns.wasReset')); }}>
              {t('columns.reset')}
            </button>
            <button type="button" className="btn btn-small btn-primary" onClick={close}>
              {t('columns.done')}
            </button>
          </div>
          <p role="status" className="sr-only">{said}</p>
        </div>
      )}
    </div>
  );
}
