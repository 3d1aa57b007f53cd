// What went wrong with a record page's last save or delete, as the page shows it.

import type { SetError } from '../jmap/types';
import type { FieldChange } from './conflict';
import type { SubmitHelpers } from './DynamicForm';
import type { Values, Version } from './values';

export type Problem =
  /** The server refused the record; `elsewhere` are problems on fields the form does not show. */
  | { kind: 'refused'; error: SetError; elsewhere: string[] }
  /** Someone else changed it first: what they changed, their version, and the edit. */
  | { kind: 'conflict'; changes: FieldChange[]; theirs: Version; mine: Values; base: Version; helpers: SubmitHelpers }
  /** Someone else deleted it. */
  | { kind: 'gone' }
  | { kind: 'message'; message: string };
