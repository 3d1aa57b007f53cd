// Secrets the server shows once, in its answer to a create (a new API key): kept only in
// this component's memory, never in history state or storage, with a copy button.

import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Property } from '../../shared/schema/types';

export interface Revealed {
  label: string;
  value: string;
}

/** Handed from the create form to the record page it opens (a new component), in memory only. */
let handoff: { key: string; secrets: Revealed[] } | null = null;

export function handOver(key: string, secrets: Revealed[]): void {
  handoff = secrets.length ? { key, secrets } : null;
}

export function takeOver(key: string): Revealed[] {
  const h = handoff;
  if (!h || h.key !== key) return [];
  // Forgotten shortly after (not at once: StrictMode runs state initialisers twice).
  setTimeout(() => {
    if (handoff === h) handoff = null;
  }, 1000);
  return h.secrets;
}

/** Server-set secret properties that came back filled in a /set created answer. */
export function revealedSecrets(properties: Record<string, Property>, labels: Record<string, string>, created: Record<string, unknown>): Revealed[] {
  return Object.entries(properties)
    .filter(([name, p]) => p.update === 'serverSet' && p.type.type === 'string' && (p.type.format === 'secret' || p.type.format === 'secretText') && typeof created[name] === 'string' && created[name] !== '')
    .map(([name]) => ({ label: labels[name] ?? name[0].toUpperCase() + name.slice(1), value: String(created[name]) }));
}

export function RevealedSecrets({ secrets }: { secrets: Revealed[] }) {
  const { t } = useTranslation('forms');
  const [copied, setCopied] = useState<string | null>(null);
  if (secrets.length === 0) return null;
  return (
    <section className="banner banner-warning" aria-labelledby="revealed-heading">
      <h2 id="revealed-heading" className="banner-title">{t('revealed.title')}</h2>
      {secrets.map((s) => (
        <div key={s.label} className="revealed">
          <label>
            {s.label}
            <input readOnly value={s.value} onFocus={(e) => e.currentTarget.select()} className="mono" />
          </label>
          <button
            type="button"
            className="btn"
            onClick={() => void navigator.clipboard?.writeText(s.value).then(() => setCopied(s.label), () => setCopied(null))}
          >
            {t('revealed.copy')}
          </button>
          <span aria-live="polite">{copied === s.label ? t('revealed.copied') : ''}</span>
        </div>
      ))}
    </section>
  );
}
