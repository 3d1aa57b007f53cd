// Component tests read the English catalogues, all loaded before the first render.
import { initI18n, i18n, ALL_NAMESPACES } from '../i18n/i18n';

await initI18n('en', ALL_NAMESPACES);
await i18n.loadNamespaces([...ALL_NAMESPACES]);
