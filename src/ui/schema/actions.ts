// What the schema's list actions say about removing a record.

import type { ItemAction } from '../../shared/schema/types';

/**
 * The schema's own name for removing a record (Blocked IPs: "Unblock"), or null for a
 * plain delete. A named removal undoes something rather than destroying work, so the
 * console does it in one click; a plain delete asks first.
 */
export function removalLabel(actions: ItemAction[] | undefined): string | null {
  const action = actions?.find((a) => a.type === 'delete');
  return action && 'label' in action && action.label ? action.label : null;
}
