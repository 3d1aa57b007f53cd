// The object schema document (design/schema-format.md), shared by server and console.

/**
 * `loginName` is a Postern extension: the name an account signs in with (letters, digits
 * and `. _ - + @`, no dot at either end nor two in a row; validate.ts has the rule).
 */
export type StringFormat =
  | 'string' | 'text' | 'emailAddress' | 'uri' | 'ipAddress' | 'ipNetwork'
  | 'socketAddress' | 'secret' | 'secretText' | 'html' | 'color' | 'loginName';

export type NumberFormat = 'integer' | 'unsignedInteger' | 'float' | 'size' | 'duration';

export type FieldType =
  | { type: 'string'; format?: StringFormat; nullable?: boolean; maxLength?: number; minLength?: number }
  | {
      type: 'number'; format?: NumberFormat; min?: number; max?: number; nullable?: boolean;
      /** Postern extension: the value that means "no limit" (a quota's 0); null/absent means "not set". */
      unlimited?: number;
      /** Postern extension: a fraction where 1 is full (an occupation ratio), shown as a percentage. */
      ratio?: boolean;
    }
  | { type: 'boolean' }
  | { type: 'utcDateTime'; nullable?: boolean }
  | { type: 'enum'; enumName: string; nullable?: boolean }
  | { type: 'objectId'; objectName: string; nullable?: boolean }
  | { type: 'object'; objectName: string; nullable?: boolean }
  | { type: 'objectList'; objectName: string; minItems?: number }
  | { type: 'set'; class: FieldType; minItems?: number }
  | { type: 'map'; keyClass: FieldType; valueClass: FieldType }
  | { type: 'blobId' };

export type UpdateMode = 'mutable' | 'immutable' | 'serverSet';

export interface Property {
  description: string;
  type: FieldType;
  update: UpdateMode;
  enterprise?: boolean;
}

export interface FieldsEntry {
  properties: Record<string, Property>;
  defaults?: Record<string, unknown>;
}

export type ObjectKind = 'object' | 'singleton' | 'view';

export interface ObjectEntry {
  type: ObjectKind;
  description?: string;
  permissionPrefix?: string;
  enterprise?: boolean;
  /** For views: the object this view filters. */
  objectName?: string;
  /**
   * Postern extension: a server-set boolean property of this object's records; where it
   * is true the record was made by the server (the built-in Administrator role) and can be
   * neither changed nor deleted. The console shows such a record read-only and says why.
   */
  builtInProperty?: string;
}

export interface Variant {
  name: string;
  label: string;
  schemaName?: string;
}

export type SchemaEntry =
  | { type: 'single'; schemaName: string }
  | { type: 'multiple'; variants: Variant[] };

export interface FormField {
  name: string;
  label: string;
  placeholder?: string;
  keyLabel?: string;
  valueLabel?: string;
}

export interface Form {
  title?: string;
  subtitle?: string;
  sections: { title?: string; fields: FormField[] }[];
}

export type ListFilter =
  | { type: 'text' | 'integer' | 'date'; field: string; label: string }
  | { type: 'enum'; field: string; label: string; enumName: string }
  | { type: 'objectId'; field: string; label: string; objectName: string };

export type ItemAction =
  | { type: 'view' }
  /** `label` (Postern extension, optional): what the button says, e.g. "Unblock". */
  | { type: 'delete'; label?: string }
  | { type: 'separator' }
  | { type: 'setProperty'; label: string; property: string; value: unknown }
  | { type: 'query'; label: string; objectName: string; fieldName: string };

export interface List {
  title: string;
  subtitle: string;
  singularName: string;
  pluralName: string;
  labelProperty?: string;
  columns: { name: string; label: string }[];
  filters?: ListFilter[];
  filtersStatic?: Record<string, unknown>;
  sort?: { property: string; isAscending: boolean }[];
  itemActions?: ItemAction[];
  massActions?: ItemAction[];
}

export interface EnumValue {
  name: string;
  label: string;
  explanation?: string;
  color?: string;
  /** Postern extension: the unit of a number held under this key of a map (a quota kind: `size` for bytes). */
  format?: NumberFormat;
}

export interface LayoutLeaf { type: 'link'; name: string; viewName: string }
export interface LayoutBranch { type: 'container'; name: string; items: LayoutNode[] }
export type LayoutNode = LayoutLeaf | LayoutBranch;

export interface Layout {
  name: string;
  icon: string;
  items: (
    | { link: { name: string; icon: string; viewName: string } }
    | { container: { name: string; icon: string; items: LayoutNode[] } }
  )[];
}

export interface SchemaDocument {
  objects: Record<string, ObjectEntry>;
  schemas: Record<string, SchemaEntry>;
  fields: Record<string, FieldsEntry>;
  forms: Record<string, Form>;
  lists: Record<string, List>;
  enums: Record<string, EnumValue[]>;
  layouts: Layout[];
  dashboards?: unknown;
}
