// Schema words (labels, singular names) inside the console's sentences follow the
// language's rules, not the server's spelling: English lowercases a label mid-sentence
// ("Add aliases"), German keeps nouns capitalised ("Aliases hinzufügen", "User anlegen").
// The words themselves stay as the server sends them.

import { currentLanguage } from '../i18n/i18n';

/** A field's or page's label inside a sentence. */
export function midSentence(label: string): string {
  return currentLanguage() === 'en' ? label.toLowerCase() : label;
}

/** A record's singular name ("allowed IP") as a noun of the current language. */
export function noun(singular: string): string {
  return currentLanguage() === 'de' ? singular.charAt(0).toUpperCase() + singular.slice(1) : singular;
}
