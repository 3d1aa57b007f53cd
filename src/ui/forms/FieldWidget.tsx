// One widget per field type and format, and the labelled wrapper (label or legend,
// hint, error wired through aria-describedby) every field sits in.

import type { FieldType } from '../../shared/schema/types';
import { useConsole } from '../schema/context';
import { formatValue } from '../schema/format';
import { EnumSetPicker } from './widgets/EnumSetPicker';
import { MapEditor } from './widgets/MapEditor';
import { NestedObject, ObjectListEditor } from './widgets/NestedObject';
import { NumberInput } from './widgets/NumberInput';
import { ObjectPicker } from './widgets/ObjectPicker';
import { StringSetEditor } from './widgets/StringSetEditor';

export interface WidgetProps {
  id: string;
  label: string;
  type: FieldType;
  value: unknown;
  onChange: (value: unknown) => void;
  onBlur?: () => void;
  readOnly?: boolean;
  required?: boolean;
  invalid?: boolean;
  describedBy?: string;
  placeholder?: string;
  keyLabel?: string;
  valueLabel?: string;
}

const INPUT_TYPES: Record<string, string> = { secret: 'password', emailAddress: 'email', uri: 'url', color: 'color' };

const nullable = (t: FieldType) => 'nullable' in t && t.nullable === true;

/** `2030-01-01T00:00:00Z` ↔ the `2030-01-01T00:00` a datetime-local input shows (in UTC). */
const toLocalInput = (v: unknown) => (typeof v === 'string' && v.length >= 16 ? v.slice(0, 16) : '');
const fromLocalInput = (v: string) => (v ? `${v.length === 16 ? `${v}:00` : v.slice(0, 19)}Z` : null);

export function FieldWidget(props: WidgetProps) {
  const { doc } = useConsole();
  const { id, label, type, value, onChange, onBlur, readOnly, required, invalid, describedBy, placeholder } = props;
  const aria = {
    'aria-invalid': invalid || undefined,
    'aria-required': required || undefined,
    'aria-describedby': describedBy,
  };
  const text = (v: string) => onChange(v === '' && (nullable(type) || !required) ? null : v);

  switch (type.type) {
    case 'string': {
      const v = typeof value === 'string' ? value : '';
      if (type.format === 'text' || type.format === 'secretText' || type.format === 'html') {
        return <textarea id={id} rows={4} value={v} readOnly={readOnly} placeholder={placeholder} onChange={(e) => text(e.target.value)} onBlur={onBlur} {...aria} />;
      }
      const inputType = INPUT_TYPES[type.format ?? ''] ?? 'text';
      const technical = ['ipAddress', 'ipNetwork', 'socketAddress', 'uri', 'emailAddress'].includes(type.format ?? '');
      return (
        <input
          id={id}
          type={inputType}
          value={v}
          readOnly={readOnly}
          placeholder={placeholder ?? (type.format === 'ipNetwork' ? 'e.g. 10.0.0.0/8 or 192.0.2.1' : undefined)}
          spellCheck={technical ? false : undefined}
          autoComplete={type.format === 'secret' ? 'new-password' : 'off'}
          maxLength={type.maxLength}
          onChange={(e) => text(e.target.value)}
          onBlur={onBlur}
          {...aria}
        />
      );
    }
    case 'number':
      return <NumberInput id={id} type={type} value={value} onChange={onChange} onBlur={onBlur} readOnly={readOnly} inputProps={aria} />;
    case 'boolean':
      return <input id={id} type="checkbox" checked={value === true} disabled={readOnly} onChange={(e) => onChange(e.target.checked)} onBlur={onBlur} {...aria} />;
    case 'utcDateTime':
      if (readOnly) return <input id={id} className="readonly" readOnly value={formatValue(doc, type, value)} {...aria} />;
      // Entered and shown in UTC, as lists show dates: say so next to the field.
      return (
        <span className="datetime-utc">
          <input
            id={id}
            type="datetime-local"
            step={60}
            value={toLocalInput(value)}
            onChange={(e) => onChange(fromLocalInput(e.target.value))}
            onBlur={onBlur}
            {...aria}
            aria-describedby={[describedBy, `${id}-utc`].filter(Boolean).join(' ')}
          />
          <span id={`${id}-utc`} className="muted">
            UTC
          </span>
        </span>
      );
    case 'enum': {
      const values = doc.enums[type.enumName] ?? [];
      return (
        <select id={id} value={typeof value === 'string' ? value : ''} disabled={readOnly} onChange={(e) => onChange(e.target.value || null)} onBlur={onBlur} {...aria}>
          {(value == null || nullable(type)) && <option value="">{nullable(type) ? 'None' : 'Choose…'}</option>}
          {values.map((e) => (
            <option key={e.name} value={e.name}>
              {e.label}
            </option>
          ))}
        </select>
      );
    }
    case 'objectId':
      return <ObjectPicker id={id} objectName={type.objectName} value={value} onChange={onChange} onBlur={onBlur} readOnly={readOnly} required={required} invalid={invalid} describedBy={describedBy} />;
    case 'object':
      return <NestedObject id={id} label={label} objectName={type.objectName} value={value} onChange={onChange} onBlur={onBlur} readOnly={readOnly} required={required} nullable={nullable(type)} inputProps={aria} />;
    case 'objectList':
      return <ObjectListEditor id={id} label={label} objectName={type.objectName} value={value} onChange={onChange} readOnly={readOnly} />;
    case 'set':
      if (type.class.type === 'enum') return <EnumSetPicker id={id} label={label} enumName={type.class.enumName} value={value} onChange={onChange} readOnly={readOnly} describedBy={describedBy} />;
      if (type.class.type === 'objectId') return <ObjectPicker id={id} multiple objectName={type.class.objectName} value={value} onChange={onChange} onBlur={onBlur} readOnly={readOnly} invalid={invalid} describedBy={describedBy} />;
      return <StringSetEditor id={id} label={label} memberType={type.class} value={value} onChange={onChange} readOnly={readOnly} describedBy={describedBy} />;
    case 'map':
      return <MapEditor id={id} label={label} valueType={type.valueClass} keyLabel={props.keyLabel} valueLabel={props.valueLabel} value={value} onChange={onChange} readOnly={readOnly} />;
    case 'blobId':
      return <input id={id} value={typeof value === 'string' ? value : ''} readOnly={readOnly} onChange={(e) => text(e.target.value)} onBlur={onBlur} {...aria} />;
  }
}

/** Types whose widget is a group of controls, labelled by a legend instead of a label. */
function isGroup(doc: ReturnType<typeof useConsole>['doc'], type: FieldType): boolean {
  if (type.type === 'set') return type.class.type === 'enum';
  if (type.type === 'object') return doc.schemas[type.objectName]?.type === 'single';
  return type.type === 'objectList' || type.type === 'map';
}

export interface FieldProps extends Omit<WidgetProps, 'describedBy' | 'invalid'> {
  hint?: string;
  error?: string;
}

export function Field({ hint, error, ...widget }: FieldProps) {
  const { doc } = useConsole();
  const { id, label, required, type } = widget;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  const control = <FieldWidget {...widget} invalid={!!error} describedBy={describedBy} />;
  const marker = required && !widget.readOnly ? <span className="required" aria-hidden="true"> *</span> : null;
  const notes = (
    <>
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
    </>
  );
  if (type.type === 'boolean') {
    return (
      <div className="field field-check">
        <div className="check">
          {control}
          <label htmlFor={id}>{label}</label>
        </div>
        {notes}
      </div>
    );
  }
  if (isGroup(doc, type)) {
    return (
      <fieldset className="field field-group" aria-describedby={describedBy}>
        <legend>
          {label}
          {marker}
        </legend>
        {control}
        {notes}
      </fieldset>
    );
  }
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {marker}
      </label>
      {control}
      {notes}
    </div>
  );
}
