// A blob id, as plain text: the schema says nothing more about it.

import type { FieldType } from '../../../shared/schema/types';
import type { WidgetProps } from '../registry';
import { ariaOf, typedText } from './aria';

export function BlobIdWidget(props: WidgetProps<Extract<FieldType, { type: 'blobId' }>>) {
  const { id, type, value, onChange, onBlur, readOnly, required } = props;
  return (
    <input
      id={id}
      value={typeof value === 'string' ? value : ''}
      readOnly={readOnly}
      onChange={(e) => onChange(typedText(type, required, e.target.value))}
      onBlur={onBlur}
      {...ariaOf(props)}
    />
  );
}
