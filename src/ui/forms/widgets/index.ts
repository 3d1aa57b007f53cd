// The default widget for each field type: every DynamicForm hands these down through
// RegistryContext, with whatever the app shell's Registration swaps in.

import type { WidgetRegistry } from '../registry';
import { BlobIdWidget } from './BlobIdWidget';
import { BooleanWidget } from './BooleanWidget';
import { DateTimeWidget } from './DateTimeWidget';
import { EnumWidget } from './EnumWidget';
import { MapEditor } from './MapEditor';
import { ObjectListWidget, ObjectWidget } from './NestedObject';
import { NumberInput } from './NumberInput';
import { ObjectIdWidget } from './ObjectPicker';
import { SetWidget } from './SetWidget';
import { StringWidget } from './StringWidget';

export const defaultWidgets: WidgetRegistry = {
  string: StringWidget,
  number: NumberInput,
  boolean: BooleanWidget,
  utcDateTime: DateTimeWidget,
  enum: EnumWidget,
  objectId: ObjectIdWidget,
  object: ObjectWidget,
  objectList: ObjectListWidget,
  set: SetWidget,
  map: MapEditor,
  blobId: BlobIdWidget,
};
