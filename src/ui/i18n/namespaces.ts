// The catalogue namespaces: one per area of the console, each a JSON file per language
// under locales/<language>/<namespace>.json, loaded when a page first needs it.

export const NAMESPACES = [
  'common', 'app', 'shell', 'forms', 'lists', 'import', 'tasks', 'health', 'mail', 'roles', 'services', 'activity', 'palette', 'about',
] as const;
export type Namespace = (typeof NAMESPACES)[number];

export const LANGUAGES = [
  { code: 'en', label: 'English', locale: 'en-GB' },
  { code: 'de', label: 'Deutsch', locale: 'de-DE' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];
export const DEFAULT_LANGUAGE: Language = 'en';
