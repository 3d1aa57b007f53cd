// The default widget for each field type: every DynamicForm hands these down through
// RegistryContext, with whatever the app shell's Registration swaps in.

import type { WidgetRegistry } from '../registry';
import { BlobIdWidget } from './BlobIdWidget';
import { BooleanWidget } from './BooleanWidget';
import { DateTimeWidget } from './DateTimeWidget';
import { EnumWidget } from './EnumWidget';
import { MapWidget, NumberWidget } from './LimitAware';
import { ObjectListWidget, ObjectWidget } from './NestedObject';
import { ObjectIdWidget } from './ObjectPicker';
import { SetWidget } from './SetWidget';
import { StringWidget } from './StringWidget';

export const defaultWidgets: WidgetRegistry = {
  string: StringWidget,
  number: NumberWidget,
  boolean: BooleanWidget,
  utcDateTime: DateTimeWidget,
  enum: EnumWidget,
  objectId: ObjectIdWidget,
  object: ObjectWidget,
  objectList: ObjectListWidget,
  set: SetWidget,
  map: MapWidget,
  blobId: BlobIdWidget,
};
