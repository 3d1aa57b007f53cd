// Types the keys of t() from the English catalogues, so a missing or misspelt key fails the type check.

import 'i18next';
import type common from './locales/en/common.json';
import type app from './locales/en/app.json';
import type forms from './locales/en/forms.json';
import type lists from './locales/en/lists.json';
import type shell from './locales/en/shell.json';
import type importer from './locales/en/import.json';
import type tasks from './locales/en/tasks.json';
import type health from './locales/en/health.json';
import type mail from './locales/en/mail.json';
import type roles from './locales/en/roles.json';
import type services from './locales/en/services.json';
import type activity from './locales/en/activity.json';
import type palette from './locales/en/palette.json';
import type about from './locales/en/about.json';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: {
      common: typeof common; app: typeof app; forms: typeof forms; shell: typeof shell; lists: typeof lists; import: typeof importer;
      tasks: typeof tasks; health: typeof health; mail: typeof mail; roles: typeof roles; services: typeof services;
      activity: typeof activity; palette: typeof palette; about: typeof about;
    };
  }
}
