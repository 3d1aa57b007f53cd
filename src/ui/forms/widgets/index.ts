// TEMPORARY (replaced in this change): the default widget per field type.
import type { ComponentType } from 'react';
import { FieldWidget } from '../FieldWidget';
import type { WidgetProps, WidgetRegistry } from '../registry';

const W = FieldWidget as ComponentType<WidgetProps>;
export const defaultWidgets: WidgetRegistry = {
  string: W, number: W, boolean: W, utcDateTime: W, enum: W, objectId: W, object: W, objectList: W, set: W, map: W, blobId: W,
};
