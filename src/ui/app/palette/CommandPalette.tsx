// The command palette (Ctrl+K, ⌘K or the top bar's Search): a dialog holding a combobox
// whose list offers the pages of the navigation that match the typed text and the records
// the server finds for it, grouped by type. Arrow keys move, Enter opens, Escape closes
// and the focus goes back where it was (Ariakit's dialog).

import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import {
  Combobox, ComboboxGroup, ComboboxGroupLabel, ComboboxItem, ComboboxList, ComboboxProvider, Dialog, DialogHeading, useDialogStore,
} from '@ariakit/react';
import { useConsole } from '../../schema/context';
import { paths } from '../../schema/nav';
import { iconFor } from '../icons';
import { matchPages } from './targets';
import { usePaletteSearch, type RecordGroup } from './usePaletteSearch';

interface Props {
  open: boolean;
  onClose: () => void;
}

function RecordResults({ group, text, go }: { group: RecordGroup; text: string; go: (to: string) => void }) {
  const { t } = useTranslation('palette');
  const { link } = group.target;
  const label = link.trail.join(' › ');
  return (
    <ComboboxGroup className="palette-group">
      <ComboboxGroupLabel className="palette-group-label">{label}</ComboboxGroupLabel>
      {group.hits.map((hit) => (
        <ComboboxItem key={hit.id} value={`record ${link.path} ${hit.id}`} className="palette-item" onClick={() => go(paths.record(link, hit.id))}>
          <span className="palette-item-name">{hit.label}</span>
        </ComboboxItem>
      ))}
      {group.more && (
        <ComboboxItem value={`all ${link.path}`} className="palette-item" onClick={() => go(paths.filtered(link, group.target.field, text))}>
          <span className="palette-item-name">{t('allMatches', { list: link.name })}</span>
        </ComboboxItem>
      )}
    </ComboboxGroup>
  );
}

export function CommandPalette({ open, onClose }: Props) {
  const { t } = useTranslation('palette');
  const { nav } = useConsole();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  // Going to another page: that page takes the focus (Shell), not the element the palette was opened from.
  const leaving = useRef(false);
  const dialog = useDialogStore({ open, setOpen: (o) => !o && onClose() });
  const [text, setText] = useState('');
  const { groups, searching, searchedFor } = usePaletteSearch(text);
  const pages = matchPages(nav, text);
  const found = groups.filter((g) => g.hits.length > 0);
  const failed = groups.filter((g) => g.error);
  const records = found.reduce((n, g) => n + g.hits.length, 0);

  const go = (to: string) => {
    leaving.current = to.split('?')[0] !== pathname;
    onClose();
    setText('');
    void navigate(to);
  };

  let status: string;
  if (text.trim() === '') status = t('hint');
  else if (searching) status = t('searching');
  else if (pages.length + records === 0) status = t('noMatch', { text: searchedFor });
  else status = t('found', { count: pages.length + records });

  return (
    <Dialog store={dialog} className="palette" backdrop={<div className="palette-backdrop" />}
      unmountOnHide
      autoFocusOnShow={() => {
        leaving.current = false;
        return true;
      }}
      autoFocusOnHide={() => !leaving.current}
      aria-labelledby="palette-title">
      <DialogHeading id="palette-title" className="sr-only">
        {t('title')}
      </DialogHeading>
      <ComboboxProvider disclosure={dialog} value={text} setValue={setText} includesBaseElement={false} focusLoop={false}>
        <div className="palette-search">
          <Combobox
            autoSelect
            className="palette-input"
            aria-label={t('input')}
            placeholder={t('placeholder')}
            aria-describedby="palette-status"
            onKeyDown={(e) => {
              if (e.key === 'Escape') onClose();
            }}
          />
        </div>
        <p id="palette-status" className="palette-status" role="status">
          {status}
        </p>
        <ComboboxList className="palette-list" aria-label={t('results')}>
          {pages.length > 0 && (
            <ComboboxGroup className="palette-group">
              <ComboboxGroupLabel className="palette-group-label">{t('pages')}</ComboboxGroupLabel>
              {pages.map((p) => {
                const Icon = iconFor(p.link.icon);
                return (
                  <ComboboxItem key={p.to} value={`page ${p.to}`} className="palette-item" onClick={() => go(p.to)}>
                    <Icon aria-hidden="true" size={16} className="palette-icon" />
                    <span className="palette-item-name">{p.link.name}</span>
                    {p.where && <span className="palette-item-where">{p.where}</span>}
                  </ComboboxItem>
                );
              })}
            </ComboboxGroup>
          )}
          {found.map((g) => (
            <RecordResults key={g.target.link.path} group={g} text={searchedFor} go={go} />
          ))}
        </ComboboxList>
        {failed.length > 0 && (
          <ul className="palette-errors">
            {failed.map((g) => (
              <li key={g.target.link.path}>{t('failed', { list: g.target.link.trail.join(' › '), reason: g.error?.message ?? '' })}</li>
            ))}
          </ul>
        )}
        <p className="palette-keys" aria-hidden="true">
          {t('keys')}
        </p>
      </ComboboxProvider>
    </Dialog>
  );
}
