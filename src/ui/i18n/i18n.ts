// The console's languages: one i18next instance, catalogues fetched per language and
// namespace when first needed (each is its own chunk), and the choice of language: the
// one picked in this browser, else the signed-in account's `locale`, else the browser's.

import i18next, { type BackendModule } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { DEFAULT_LANGUAGE, LANGUAGES, NAMESPACES, type Language } from './namespaces';

const catalogues = import.meta.glob<{ default: Record<string, unknown> }>('./locales/*/*.json');
const STORAGE_KEY = 'postern.language';

const lazyCatalogues: BackendModule = {
  type: 'backend',
  init() {},
  read(language, namespace, done) {
    const load = catalogues[`./locales/${language}/${namespace}.json`];
    if (!load) return done(new Error(`No catalogue ${language}/${namespace}`), false);
    load().then((m) => done(null, m.default), (e: unknown) => done(e instanceof Error ? e : new Error(String(e)), false));
  },
};

export const i18n = i18next.createInstance();

/** `de_DE`, `de-AT`, `DE` → `de` when the console has it. */
export function languageOf(tag: string | null | undefined): Language | null {
  const base = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return LANGUAGES.find((l) => l.code === base)?.code ?? null;
}

function storedChoice(): Language | null {
  try {
    return languageOf(globalThis.localStorage?.getItem(STORAGE_KEY));
  } catch {
    return null;
  }
}

function browserLanguage(): Language | null {
  const tags = globalThis.navigator?.languages ?? [globalThis.navigator?.language];
  for (const tag of tags) {
    const l = languageOf(tag);
    if (l) return l;
  }
  return null;
}

export function initialLanguage(): Language {
  return storedChoice() ?? browserLanguage() ?? DEFAULT_LANGUAGE;
}

/** Starts i18next and loads the namespaces the first screen needs. */
export async function initI18n(language: Language = initialLanguage(), preload: readonly string[] = ['common', 'app']): Promise<void> {
  if (!i18n.isInitialized) {
    await i18n.use(lazyCatalogues).use(initReactI18next).init({
      lng: language,
      fallbackLng: DEFAULT_LANGUAGE,
      supportedLngs: LANGUAGES.map((l) => l.code),
      ns: [...preload],
      defaultNS: 'common',
      fallbackNS: 'common',
      interpolation: { escapeValue: false }, // React escapes; catalogues are text, never HTML
      returnNull: false,
      react: { useSuspense: true },
    });
  }
  markDocument();
  i18n.on('languageChanged', markDocument);
}

function markDocument() {
  if (typeof document !== 'undefined') document.documentElement.lang = i18n.language;
}

/** The administrator picked a language here: remember it for this browser and switch. */
export async function chooseLanguage(language: Language): Promise<void> {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, language);
  } catch {
    // private mode: the choice lasts for this page only
  }
  await i18n.changeLanguage(language);
}

/**
 * After sign-in: the account's `locale` (`de_DE`) applies unless this browser has a choice.
 * `en_US`, the server's default for every account, says nothing, so the browser's language stays.
 */
export async function applyAccountLocale(locale: string | null | undefined): Promise<void> {
  if (storedChoice()) return;
  const fromAccount = languageOf(locale);
  if (!fromAccount || fromAccount === DEFAULT_LANGUAGE) return;
  if (fromAccount !== i18n.language) await i18n.changeLanguage(fromAccount);
}

export function currentLanguage(): Language {
  return languageOf(i18n.language) ?? DEFAULT_LANGUAGE;
}

/** The BCP 47 locale Intl formats with: the browser's own region when it speaks the language. */
export function currentLocale(): string {
  const language = currentLanguage();
  const tags = globalThis.navigator?.languages ?? [];
  const regional = tags.find((t) => languageOf(t) === language && t.includes('-'));
  return regional ?? LANGUAGES.find((l) => l.code === language)!.locale;
}

export const ALL_NAMESPACES = NAMESPACES;
