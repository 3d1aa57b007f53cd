// TEMPORARY (replaced in this change): the default widget per field type.
import { FieldWidget } from '../FieldWidget';
import type { WidgetRegistry } from '../registry';

const W = FieldWidget as unknown as WidgetRegistry[keyof WidgetRegistry] & WidgetRegistry['string'] & WidgetRegistry['number'] & WidgetRegistry['boolean'] & WidgetRegistry['utcDateTime'] & WidgetRegistry['enum'] & WidgetRegistry['objectId'] & WidgetRegistry['object'] & WidgetRegistry['objectList'] & WidgetRegistry['set'] & WidgetRegistry['map'] & WidgetRegistry['blobId'];
export const defaultWidgets: WidgetRegistry = {
  string: W, number: W, boolean: W, utcDateTime: W, enum: W, objectId: W, object: W, objectList: W, set: W, map: W, blobId: W,
};
