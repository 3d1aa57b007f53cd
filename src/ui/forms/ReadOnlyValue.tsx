// A value the person cannot change, as text: enum values and records by their labels,
// numbers with units, dates in UTC, secrets hidden. Nothing here looks like an input.

import { useTranslation } from 'react-i18next';
import type { FieldType } from '../../shared/schema/types';
import { setMembers } from '../lib/set';
import { useConsole } from '../schema/context';
import { enumLabel, formatValue } from '../schema/format';
import { displayValue } from './display';
import { BlobDownload } from './widgets/BlobDownload';
import { ReadOnlyRecords } from './widgets/ReadOnlyRecords';
import { isLimitNumber } from './widgets/limits';
import { limitText } from './widgets/LimitInput';
import { isRatio } from '../lists/ratio';
import { UsageMeter } from '../lists/UsageMeter';

/** Types shown as text when read-only; objects, lists and maps keep their layout with text inside. */
export function isTextWhenReadOnly(type: FieldType): boolean {
  switch (type.type) {
    case 'string': case 'number': case 'boolean': case 'utcDateTime': case 'enum': case 'objectId': case 'blobId': case 'set':
      return true;
    case 'object': case 'objectList': case 'map':
      return false;
    default: {
      const _: never = type;
      return false;
    }
  }
}

const MULTILINE = new Set(['text', 'secretText', 'html']);

/** `plain`: records as text only, no links (inside a label, say); `label` names a usage bar. */
export function ReadOnlyValue({ type, value, plain, label }: { type: FieldType; value: unknown; plain?: boolean; label?: string }) {
  const { doc } = useConsole();
  const { t } = useTranslation('forms');
  if (type.type === 'objectId') return <ReadOnlyRecords objectName={type.objectName} ids={typeof value === 'string' && value ? [value] : []} plain={plain} />;
  if (type.type === 'set') {
    const members = setMembers(value);
    const cls = type.class;
    if (cls.type === 'objectId') return <ReadOnlyRecords objectName={cls.objectName} ids={members} plain={plain} />;
    if (members.length === 0) return <span className="readonly-value muted">{t('none')}</span>;
    return (
      <ul className="readonly-value readonly-list">
        {members.map((m) => (
          <li key={m}>{cls.type === 'enum' ? enumLabel(doc, cls.enumName, m) : formatValue(doc, cls, m)}</li>
        ))}
      </ul>
    );
  }
  if (type.type === 'blobId' && typeof value === 'string' && value) return <BlobDownload blobId={value} label={label} />;
  if (isRatio(type)) return <UsageMeter label={label ?? t('usage')} value={value} />;
  if (isLimitNumber(type)) return <span className="readonly-value">{limitText(type, value)}</span>;
  const text = displayValue(doc, type, value);
  if (!text) return <span className="readonly-value muted">{t('notSet')}</span>;
  if (type.type === 'string' && type.format && MULTILINE.has(type.format) && type.format !== 'secretText') return <pre className="readonly-value">{text}</pre>;
  return <span className="readonly-value">{text}</span>;
}
