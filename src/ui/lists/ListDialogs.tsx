// A list page's questions before a bulk write: a property set ("Retry all: 3 messages?")
// or a removal, of ticked records or of every record the filter matches.

import { useTranslation } from 'react-i18next';
import type { List, Property } from '../../shared/schema/types';
import { formatNumber } from '../i18n/format';
import { ConfirmDialog } from '../lib/ConfirmDialog';
import { useConsole } from '../schema/context';
import { formatValue } from '../schema/format';
import { countOf, type Targets } from './useBulkWrite';
import type { useDeletion } from './useDeletion';
import type { SetPropertyAction, useSetProperty } from './useSetProperty';

interface Props {
  list: List;
  properties: Record<string, Property>;
  setting: ReturnType<typeof useSetProperty>;
  deletion: ReturnType<typeof useDeletion>;
  labelOfId: (id: string) => string;
}

/** How many to name in the question before "and 3 more". */
const NAMED = 10;

export function ListDialogs({ list, properties, setting, deletion, labelOfId }: Props) {
  const { t } = useTranslation('lists');
  const { doc } = useConsole();
  const { removal, confirming } = deletion;
  const what = (targets: Targets) => {
    const n = countOf(targets);
    return Array.isArray(targets) && n === 1 ? labelOfId(targets[0]) : `${formatNumber(n)} ${n === 1 ? list.singularName : list.pluralName}`;
  };
  const setWords = (action: SetPropertyAction) => {
    const p = properties[action.property];
    return t('set.words', { property: p?.description.toLowerCase() || action.property, value: formatValue(doc, p?.type, action.value) || String(action.value) });
  };

  // One question at a time, so one dialog (its title's id is the page's only one).
  if (setting.asking) {
    return (
      <ConfirmDialog open title={t('set.ask', { action: setting.asking.action.label, what: what(setting.asking.ids) })} confirmLabel={setting.asking.action.label} onConfirm={setting.confirm} onCancel={setting.cancel}>
        <p>{setWords(setting.asking.action)}</p>
        {!Array.isArray(setting.asking.ids) && <p>{t('bulk.everyMatching', { n: formatNumber(setting.asking.ids.matching) })}</p>}
      </ConfirmDialog>
    );
  }
  const n = confirming ? countOf(confirming) : 0;
  const one = Array.isArray(confirming) && n === 1;
  const ids = Array.isArray(confirming) ? confirming : [];
  return (
    <ConfirmDialog
      open={confirming !== null}
      title={one ? t('remove.askOne', { action: removal.rowLabel, what: list.singularName }) : t('remove.askMany', { action: removal.massLabel, n: formatNumber(n), what: list.pluralName })}
      confirmLabel={one ? removal.rowLabel : removal.massLabel}
      danger={removal.final}
      onConfirm={() => confirming && void deletion.remove(confirming)}
      onCancel={deletion.cancel}
    >
      {removal.final && <p>{t('remove.final')}</p>}
      {confirming && !Array.isArray(confirming) && <p>{t('bulk.everyMatching', { n: formatNumber(n) })}</p>}
      {ids.length > 0 && (
        <ul>
          {ids.slice(0, NAMED).map((id) => (
            <li key={id}>{labelOfId(id)}</li>
          ))}
          {ids.length > NAMED && <li>{t('remove.more', { n: formatNumber(ids.length - NAMED) })}</li>}
        </ul>
      )}
    </ConfirmDialog>
  );
}
