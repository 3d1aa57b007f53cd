// The console's languages: one i18next instance, catalogues fetched per language and
// namespace when first needed (each is its own chunk), and the choice of language: the
// one picked in this browser, else the signed-in account's `locale`, else the browser's.

import i18next, { type BackendModule, type FormatterModule } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { DEFAULT_LANGUAGE, LANGUAGES, NAMESPACES, type Language } from './namespaces';

const catalogues = import.meta.glob<{ default: Record<string, unknown> }>('./locales/*/*.json');
const STORAGE_KEY = 'postern.language';
/** The signed-in account's language, kept so a reload starts in it rather than flashing the browser's first. */
const ACCOUNT_KEY = 'postern.accountLanguage';

type Load = (language: string, namespace: string) => Promise<Record<string, unknown>> | undefined;

/**
 * Reads the catalogues through `load`. A read that fails (offline, a chunk gone after an
 * update) is retried twice; then the text falls back to English and the namespace is read
 * again the next time a page needs it. It never waits forever.
 */
export function catalogueBackend(load: Load): BackendModule {
  return {
    type: 'backend',
    init() {},
    read(language, namespace, done) {
      const reading = load(language, namespace);
      if (!reading) return done(new Error(`No catalogue ${language}/${namespace}`), false);
      // `true` beside the error tells i18next to retry now (maxRetries) and again on the next need.
      reading.then((data) => done(null, data), (e: unknown) => done(e instanceof Error ? e : new Error(String(e)), true));
    },
  };
}

const lazyCatalogues = catalogueBackend((language, namespace) => catalogues[`./locales/${language}/${namespace}.json`]?.().then((m) => m.default));

const numberFormats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string): Intl.NumberFormat {
  let f = numberFormats.get(locale);
  if (!f) numberFormats.set(locale, (f = new Intl.NumberFormat(locale)));
  return f;
}

// Every number put into a sentence reads in the language (`1,234` / `1.234`): t() takes
// counts as numbers (they choose the plural form) and they are written here, for every catalogue.
const numbersInText: FormatterModule = {
  type: 'formatter',
  init() {},
  // anything else goes on as it came (undefined must stay undefined: i18next reports it missing)
  format: (value: unknown, _format, lng) => (typeof value === 'number' ? numberFormat(localeOf(lng)).format(value) : (value as string)),
  add() {},
  addCached() {},
};

export const i18n = i18next.createInstance();

/** `de_DE`, `de-AT`, `DE` → `de` when the console has it. */
export function languageOf(tag: string | null | undefined): Language | null {
  const base = tag?.trim().toLowerCase().split(/[-_]/)[0];
  return LANGUAGES.find((l) => l.code === base)?.code ?? null;
}

function stored(key: string): Language | null {
  try {
    return languageOf(globalThis.localStorage?.getItem(key));
  } catch {
    return null;
  }
}

function store(key: string, language: Language | null): void {
  try {
    if (language) globalThis.localStorage?.setItem(key, language);
    else globalThis.localStorage?.removeItem(key);
  } catch {
    // private mode: it lasts for this page only
  }
}

const storedChoice = () => stored(STORAGE_KEY);

function browserLanguage(): Language | null {
  const tags = globalThis.navigator?.languages ?? [globalThis.navigator?.language];
  for (const tag of tags) {
    const l = languageOf(tag);
    if (l) return l;
  }
  return null;
}

/** This browser's choice, else the language of the account signed in here, else the browser's. */
export function initialLanguage(): Language {
  return storedChoice() ?? stored(ACCOUNT_KEY) ?? browserLanguage() ?? DEFAULT_LANGUAGE;
}

/** Starts i18next and loads the namespaces the first screen needs. */
export async function initI18n(language: Language = initialLanguage(), preload: readonly string[] = ['common', 'app']): Promise<void> {
  if (!i18n.isInitialized) {
    await i18n.use(lazyCatalogues).use(numbersInText).use(initReactI18next).init({
      lng: language,
      fallbackLng: DEFAULT_LANGUAGE,
      supportedLngs: LANGUAGES.map((l) => l.code),
      ns: [...preload],
      defaultNS: 'common',
      fallbackNS: 'common',
      interpolation: { escapeValue: false, alwaysFormat: true }, // React escapes; catalogues are text, never HTML
      returnNull: false,
      maxRetries: 2, // a failed catalogue: retried after 350 ms and 700 ms, then English
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
  store(STORAGE_KEY, language);
  await i18n.changeLanguage(language);
}

/**
 * After sign-in: the account's `locale` (`de_DE`) applies unless this browser has a choice.
 * `en_US`, the server's default for every account, says nothing, so the browser's language stays.
 * It is remembered until sign-out, so a reload starts in it.
 */
export async function applyAccountLocale(locale: string | null | undefined): Promise<void> {
  const fromAccount = languageOf(locale);
  store(ACCOUNT_KEY, fromAccount && fromAccount !== DEFAULT_LANGUAGE ? fromAccount : null);
  await follow(initialLanguage());
}

/** Signed out: the account's language is forgotten; this browser's choice, or its language, is back. */
export async function forgetAccountLocale(): Promise<void> {
  store(ACCOUNT_KEY, null);
  await follow(initialLanguage());
}

async function follow(language: Language): Promise<void> {
  if (language !== i18n.language) await i18n.changeLanguage(language);
}

export function currentLanguage(): Language {
  return languageOf(i18n.language) ?? DEFAULT_LANGUAGE;
}

/** The BCP 47 locale Intl formats with: the browser's own region when it speaks the language. */
export function currentLocale(): string {
  return localeOf(currentLanguage());
}

function localeOf(tag: string | undefined): string {
  const language = languageOf(tag) ?? DEFAULT_LANGUAGE;
  const tags = globalThis.navigator?.languages ?? [];
  const regional = tags.find((t) => languageOf(t) === language && t.includes('-'));
  return regional ?? LANGUAGES.find((l) => l.code === language)!.locale;
}

export const ALL_NAMESPACES = NAMESPACES;
