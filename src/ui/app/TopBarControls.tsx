// The top bar's controls: the command palette's Search button, the language and the dark-mode switch.

import { Moon, Search, Sun } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { chooseLanguage, currentLanguage } from '../i18n/i18n';
import { LANGUAGES, type Language } from '../i18n/namespaces';
import { PALETTE_KEYS } from './palette/shortcut';
import { useDarkMode } from './theme';

/** A Mac keyboard says ⌘, the others Ctrl (Strg). */
function onMac(): boolean {
  const nav = navigator as Navigator & { userAgentData?: { platform?: string } };
  return /mac|iphone|ipad/i.test(nav.userAgentData?.platform ?? nav.platform ?? '');
}

export function SearchButton({ onClick }: { onClick: () => void }) {
  const { t } = useTranslation('shell');
  return (
    <button type="button" className="btn btn-ghost topbar-search" aria-keyshortcuts={PALETTE_KEYS} onClick={onClick}>
      <Search aria-hidden="true" size={16} />
      <span className="topbar-label">{t('search')}</span>
      <kbd className="topbar-kbd" aria-hidden="true">
        {onMac() ? t('searchKeysMac') : t('searchKeys')}
      </kbd>
    </button>
  );
}

export function LanguageSelect() {
  // useTranslation re-renders this on a change of language.
  const { t } = useTranslation('shell');
  return (
    <select className="topbar-select" aria-label={t('language')} value={currentLanguage()} onChange={(e) => void chooseLanguage(e.target.value as Language)}>
      {LANGUAGES.map((l) => (
        <option key={l.code} value={l.code} lang={l.code}>
          {l.label}
        </option>
      ))}
    </select>
  );
}

export function DarkModeToggle() {
  const { t } = useTranslation('shell');
  const { dark, toggle } = useDarkMode();
  const Icon = dark ? Moon : Sun;
  return (
    <button type="button" className="btn btn-ghost topbar-toggle" aria-pressed={dark} onClick={toggle}>
      <Icon aria-hidden="true" size={16} />
      <span className="topbar-label">{t('darkMode')}</span>
    </button>
  );
}
