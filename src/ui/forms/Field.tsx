// A field of a generated form: the widget the registry holds for its type, inside the
// labelled wrapper (label or legend, hint, error wired through aria-describedby). A field
// the person cannot change is its label and its value as text.

import type { FieldType, SchemaDocument } from '../../shared/schema/types';
import { useConsole } from '../schema/context';
import { isTextWhenReadOnly, ReadOnlyValue } from './ReadOnlyValue';
import { useRegistry, widgetFor, type WidgetProps } from './registry';
import { isLimitNumber } from './widgets/limits';

/** The bare control for a value: looked up by field type in the registry the form hands down. */
export function FieldInput(props: WidgetProps) {
  const Widget = widgetFor(useRegistry().widgets, props.type);
  return <Widget {...props} />;
}

/** Types whose widget is a group of controls, labelled by a legend instead of a label. */
function isGroup(doc: SchemaDocument, type: FieldType): boolean {
  switch (type.type) {
    case 'set':
      return type.class.type === 'enum';
    case 'object':
      return doc.schemas[type.objectName]?.type === 'single';
    case 'objectList':
    case 'map':
      return true;
    case 'number':
      // A limit is a group of radios (Inherit / Unlimited / Limit) and its number.
      return isLimitNumber(type);
    case 'string': case 'boolean': case 'utcDateTime': case 'enum': case 'objectId': case 'blobId':
      return false;
    default: {
      const _: never = type;
      return false;
    }
  }
}

export interface FieldProps extends Omit<WidgetProps, 'describedBy' | 'invalid'> {
  hint?: string;
  error?: string;
  /** A marker beside the label, e.g. that the server's edition lacks this field. */
  note?: string;
}

export function Field({ hint, error, note, ...widget }: FieldProps) {
  const { doc } = useConsole();
  const { id, label, required, type } = widget;
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [errorId, hintId].filter(Boolean).join(' ') || undefined;
  const marked = note ? <span className="field-note"> ({note})</span> : null;
  if (widget.readOnly && isTextWhenReadOnly(type)) {
    // The value is named by its term (aria-labelledby), so it reads as "label: value".
    return (
      <dl className="field-readonly">
        <dt id={`${id}-label`}>
          {label}
          {marked}
        </dt>
        <dd id={id} aria-labelledby={`${id}-label`} aria-describedby={hintId}>
          <ReadOnlyValue type={type} value={widget.value} label={label} />
        </dd>
        {hint && (
          <dd id={hintId} className="hint">
            {hint}
          </dd>
        )}
      </dl>
    );
  }
  const control = <FieldInput {...widget} invalid={!!error} describedBy={describedBy} />;
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
          <label htmlFor={id}>
            {label}
            {marked}
          </label>
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
          {marked}
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
        {marked}
        {marker}
      </label>
      {control}
      {notes}
    </div>
  );
}
