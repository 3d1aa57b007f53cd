// Nested values: an object of one schema, a tagged union with a variant switch, and
// objectList; their fields come from the registry through Field. Switching variants keeps
// the fields variants share, and going back to a variant restores what was typed there.

import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { isPlainObject } from '../../../shared/equal';
import type { FieldType, Property } from '../../../shared/schema/types';
import { isRequired } from '../../../shared/schema/values';
import { useConsole } from '../../schema/context';
import { lacksEnterprise } from '../../schema/edition';
import { defaultsOf, humanize, propertiesOf } from '../../schema/resolve';
import { Field } from '../Field';
import type { WidgetProps } from '../registry';
import { initialValues, switchVariant } from '../values';
import { ariaOf, isNullable } from './aria';
import { midSentence } from '../words';

interface FieldsProps {
  idPrefix: string;
  schemaName: string | undefined;
  value: Record<string, unknown>;
  onChange: (v: Record<string, unknown>) => void;
  readOnly?: boolean;
}

/** The properties of one schema as fields, labelled from its form when the schema has one. */
export function NestedFields({ idPrefix, schemaName, value, onChange, readOnly }: FieldsProps) {
  const { doc, edition } = useConsole();
  const { t } = useTranslation('forms');
  const lacking = lacksEnterprise(edition);
  const props = propertiesOf(doc, schemaName);
  const defaults = defaultsOf(doc, schemaName);
  const form = schemaName ? doc.forms[schemaName] : undefined;
  const labelled = form ? form.sections.flatMap((s) => s.fields) : Object.keys(props).map((name) => ({ name, label: humanize(name) }));
  // A server-set field shows once the server has set it (not in a value being made).
  const entries = labelled
    .filter((f) => props[f.name] && !(props[f.name].update === 'serverSet' && value[f.name] === undefined))
    .map((f) => [f, props[f.name]] as const);
  if (entries.length === 0) return null;
  return (
    <div className="nested-fields">
      {entries.map(([f, p]: readonly [{ name: string; label: string; placeholder?: string }, Property]) => (
        <Field
          key={f.name}
          id={`${idPrefix}-${f.name}`}
          name={f.name}
          label={f.label}
          hint={p.description && p.description !== f.label ? p.description : undefined}
          type={p.type}
          placeholder={f.placeholder}
          value={value[f.name]}
          required={isRequired(doc, p.type, f.name in defaults)}
          note={p.enterprise && lacking ? t('enterpriseNote') : undefined}
          readOnly={readOnly || p.update === 'serverSet' || (!!p.enterprise && lacking)}
          onChange={(v) => onChange({ ...value, [f.name]: v })}
        />
      ))}
    </div>
  );
}

interface ObjectProps {
  id: string;
  label: string;
  objectName: string;
  value: unknown;
  onChange: (v: unknown) => void;
  onBlur?: () => void;
  readOnly?: boolean;
  required?: boolean;
  nullable?: boolean;
  inputProps: Record<string, unknown>;
}

export function NestedObject({ id, label, objectName, value, onChange, onBlur, readOnly, required, nullable, inputProps }: ObjectProps) {
  const { doc } = useConsole();
  const { t } = useTranslation('forms');
  const shape = doc.schemas[objectName];
  const remembered = useRef<Record<string, Record<string, unknown>>>({});
  const obj = isPlainObject(value) ? value : null;

  if (!shape) return <p className="muted">{t('nested.unknown', { name: objectName })}</p>;
  if (shape.type === 'single') {
    if (!obj) {
      return readOnly ? <p className="muted">{t('nested.notSet')}</p> : (
        <button type="button" className="btn btn-small" onClick={() => onChange(initialValues(doc, shape.schemaName))}>
          {t('nested.set', { label: midSentence(label) })}
        </button>
      );
    }
    return (
      <>
        <NestedFields idPrefix={id} schemaName={shape.schemaName} value={obj} onChange={onChange} readOnly={readOnly} />
        {nullable && !readOnly && (
          <button type="button" className="btn btn-small btn-ghost" onClick={() => onChange(null)}>
            {t('nested.clear', { label: midSentence(label) })}
          </button>
        )}
      </>
    );
  }

  const current = obj ? String(obj['@type'] ?? '') : '';
  const variant = shape.variants.find((v) => v.name === current);
  const pick = (name: string) => {
    if (obj && current) remembered.current[current] = obj;
    if (!name) return onChange(null);
    onChange(remembered.current[name] ?? switchVariant(doc, objectName, obj, name));
  };
  return (
    <div className="union">
      {readOnly ? (
        <p id={id} className="readonly-value">{variant?.label ?? t('none')}</p>
      ) : (
        <select id={id} value={current} onChange={(e) => pick(e.target.value)} onBlur={onBlur} {...inputProps}>
          {(!current || nullable || !required) && <option value="">{nullable ? t('none') : t('choose')}</option>}
          {shape.variants.map((v) => (
            <option key={v.name} value={v.name}>
              {v.label}
            </option>
          ))}
        </select>
      )}
      {variant?.schemaName && obj && (
        <div className="union-body">
          <NestedFields idPrefix={id} schemaName={variant.schemaName} value={obj} onChange={onChange} readOnly={readOnly} />
        </div>
      )}
    </div>
  );
}

export function ObjectListEditor({ id, label, objectName, value, onChange, readOnly }: Omit<ObjectProps, 'inputProps'>) {
  const { doc } = useConsole();
  const { t } = useTranslation('forms');
  // Items keep their keys: a removal leaves a gap and an addition takes the next free key, so
  // the save patches each item as itself (forms/patch.ts); only the numbers shown run 1…n.
  const list = isPlainObject(value) ? value : {};
  const keys = Object.keys(list).sort((a, b) => Number(a) - Number(b));
  const nextKey = String(keys.length ? Math.max(...keys.map(Number)) + 1 : 0);
  const shape = doc.schemas[objectName];
  const fresh = () => (shape?.type === 'single' ? initialValues(doc, shape.schemaName) : null);
  const without = (gone: string) => Object.fromEntries(keys.filter((k) => k !== gone).map((k) => [k, list[k]]));
  return (
    <div className="object-list">
      {keys.length === 0 && <p className="muted">{t('nested.noItems')}</p>}
      {keys.map((k, i) => (
        <fieldset key={k} className="object-list-item">
          <legend>{t('nested.item', { label, n: i + 1 })}</legend>
          <NestedObject
            id={`${id}-${k}`}
            label={t('nested.item', { label, n: i + 1 })}
            objectName={objectName}
            value={list[k]}
            readOnly={readOnly}
            required
            inputProps={{ 'aria-label': t('nested.itemType', { label, n: i + 1 }) }}
            onChange={(v) => onChange({ ...list, [k]: v })}
          />
          {!readOnly && (
            <button type="button" className="btn btn-small btn-ghost" onClick={() => onChange(without(k))}>
              {t('nested.removeItem', { label: midSentence(label), n: i + 1 })}
            </button>
          )}
        </fieldset>
      ))}
      {!readOnly && (
        <button type="button" className="btn btn-small" onClick={() => onChange({ ...list, [nextKey]: fresh() })}>
          {t('nested.addItem', { label: midSentence(label) })}
        </button>
      )}
    </div>
  );
}

export function ObjectWidget(props: WidgetProps<Extract<FieldType, { type: 'object' }>>) {
  const { id, label, type, value, onChange, onBlur, readOnly, required } = props;
  return (
    <NestedObject
      id={id} label={label} objectName={type.objectName} value={value} onChange={onChange} onBlur={onBlur}
      readOnly={readOnly} required={required} nullable={isNullable(type)} inputProps={ariaOf(props)}
    />
  );
}

export function ObjectListWidget({ id, label, type, value, onChange, readOnly }: WidgetProps<Extract<FieldType, { type: 'objectList' }>>) {
  return <ObjectListEditor id={id} label={label} objectName={type.objectName} value={value} onChange={onChange} readOnly={readOnly} />;
}
