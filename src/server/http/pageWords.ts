// The words of the few pages the server writes itself (the OAuth sign-in page, its errors,
// the page of a blocked address), in English and German. The console's catalogues are in
// src/ui, which the server does not import: these sentences live here, with the console's
// words for the same things ("Anmelden", "Benutzername", "Passwort"). `{name}` is a value
// filled in by `fillHtml`.

export const PAGE_LANGUAGES = ['en', 'de'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

const en = {
  signInTitle: 'Sign in to Postern',
  username: 'Username',
  password: 'Password',
  submit: 'Sign in',
  wrongPassword: 'The username or password is not right.',
  tooManyFailuresTitle: 'Blocked',
  tooManyFailures: 'Too many failed sign-ins: this address is blocked.',
  expiredTitle: 'Sign-in expired',
  expired: 'This sign-in page has expired.',
  expiredGoBack: 'This sign-in page has expired. Go back to the console and sign in again.',
  formTooLarge: 'The sign-in form was too large.',
  problemTitle: 'Sign-in problem',
  problemUnknown: 'Something went wrong.',
  backToConsole: 'Back to the console',
  blockedTitle: 'Address blocked',
  blockedHeading: 'This address is blocked',
  blockedRefused: 'Requests from {address} are refused.',
  blockedRefusedUntil: 'Requests from {address} are refused until {until}.',
  blockedReason: 'Reason: {reason}.',
  blockedRemedy: 'An administrator can remove the block in {place}, or on the server itself with {command}.',
};

export type PageWords = Record<keyof typeof en, string>;

const de: PageWords = {
  signInTitle: 'Bei Postern anmelden',
  username: 'Benutzername',
  password: 'Passwort',
  submit: 'Anmelden',
  wrongPassword: 'Benutzername oder Passwort ist falsch.',
  tooManyFailuresTitle: 'Gesperrt',
  tooManyFailures: 'Zu viele fehlgeschlagene Anmeldungen: Diese Adresse ist gesperrt.',
  expiredTitle: 'Anmeldung abgelaufen',
  expired: 'Diese Anmeldeseite ist abgelaufen.',
  expiredGoBack: 'Diese Anmeldeseite ist abgelaufen. Kehren Sie zur Konsole zurück und melden Sie sich erneut an.',
  formTooLarge: 'Das Anmeldeformular war zu groß.',
  problemTitle: 'Problem bei der Anmeldung',
  problemUnknown: 'Ein unerwarteter Fehler ist aufgetreten.',
  backToConsole: 'Zurück zur Konsole',
  blockedTitle: 'Adresse gesperrt',
  blockedHeading: 'Diese Adresse ist gesperrt',
  blockedRefused: 'Anfragen von {address} werden abgelehnt.',
  blockedRefusedUntil: 'Anfragen von {address} werden bis {until} abgelehnt.',
  blockedReason: 'Grund: {reason}.',
  blockedRemedy: 'Ein Administrator kann die Sperre unter {place} aufheben oder auf dem Server selbst {command} ausführen.',
};

export const PAGE_WORDS: Record<PageLanguage, PageWords> = { en, de };

export function pageWords(language: PageLanguage): PageWords {
  return PAGE_WORDS[language];
}

/** The supported language of one BCP 47 tag (`de-AT` → de), or null. */
function supported(tag: string): PageLanguage | null {
  const primary = tag.trim().split('-')[0].toLowerCase();
  return (PAGE_LANGUAGES as readonly string[]).includes(primary) ? (primary as PageLanguage) : null;
}

/** Accept-Language's tags, most wanted first (RFC 9110 §12.5.4); q=0 means "not this one". */
function acceptedTags(header: string): string[] {
  const entries: { tag: string; q: number; i: number }[] = [];
  header.split(',').forEach((part, i) => {
    const [tag, ...params] = part.split(';').map((s) => s.trim());
    if (!tag) return;
    let q = 1;
    for (const p of params) {
      // A weight that is not one (q=abc) leaves the tag out.
      if (/^q\s*=/i.test(p)) q = /^q\s*=\s*(0(\.\d{0,3})?|1(\.0{0,3})?)$/i.test(p) ? Number(p.split('=')[1]) : NaN;
    }
    if (Number.isFinite(q) && q > 0) entries.push({ tag, q, i });
  });
  return entries.sort((a, b) => b.q - a.q || a.i - b.i).map((e) => e.tag);
}

/**
 * The language of a page: the first supported tag of the authorization request's
 * `ui_locales` (OpenID Connect Core §3.1.2.1, space-separated), else the most wanted
 * supported one of Accept-Language (`*` counts as English), else English.
 */
export function pageLanguage(uiLocales: unknown, acceptLanguage: string | string[] | undefined): PageLanguage {
  if (typeof uiLocales === 'string') {
    for (const tag of uiLocales.split(/\s+/)) {
      const found = tag ? supported(tag) : null;
      if (found) return found;
    }
  }
  const header = Array.isArray(acceptLanguage) ? acceptLanguage.join(',') : acceptLanguage;
  for (const tag of acceptedTags(header ?? '')) {
    if (tag === '*') return 'en';
    const found = supported(tag);
    if (found) return found;
  }
  return 'en';
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A sentence as HTML: its own text escaped, each `{name}` replaced by `html[name]` (already HTML). */
export function fillHtml(text: string, html: Record<string, string>): string {
  return escapeHtml(text).replace(/\{(\w+)\}/g, (whole, name: string) => html[name] ?? whole);
}
