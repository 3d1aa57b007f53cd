// The number and map widgets the registry holds: a limit (the schema allows the unlimited
// value) is edited with Inherit / Unlimited / Limit, anything else as before.

import type { FieldType } from '../../../shared/schema/types';
import type { WidgetProps } from '../registry';
import { isLimitMap, isLimitNumber } from './limits';
import { LimitInput } from './LimitInput';
import { LimitMap } from './LimitMap';
import { MapEditor } from './MapEditor';
import { NumberInput } from './NumberInput';

export function NumberWidget(props: WidgetProps<Extract<FieldType, { type: 'number' }>>) {
  return isLimitNumber(props.type) ? <LimitInput {...props} /> : <NumberInput {...props} />;
}

export function MapWidget(props: WidgetProps<Extract<FieldType, { type: 'map' }>>) {
  return isLimitMap(props.type) ? <LimitMap {...props} /> : <MapEditor {...props} />;
}
