// After "changed by someone else": per field, what the person typed beside what the server
// now holds, a choice where both changed it, and a save against the server's new version.

import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Property } from '../../shared/schema/types';
import type { Choice, FieldChange } from './conflict';
import { ReadOnlyValue } from './ReadOnlyValue';
import './forms.css';

interface Props {
  changes: FieldChange[];
  labels: Record<string, string>;
  properties: Record<string, Property>;
  singularName: string;
  onSave: (choices: Record<string, Choice>) => void;
  onDiscard: () => void;
}

function Value({ p, value }: { p: Property | undefined; value: unknown }) {
  // Plain text: a link inside a choice's label would compete with the choice.
  return p ? <ReadOnlyValue type={p.type} value={value} plain /> : <span>{JSON.stringify(value)}</span>;
}

export function ConflictPanel({ changes, labels, properties, singularName, onSave, onDiscard }: Props) {
  const { t } = useTranslation('forms');
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const both = changes.filter((c) => c.both);
  const theirsOnly = changes.filter((c) => !c.both);
  const label = (name: string) => labels[name] ?? name;
  return (
    <section className="banner banner-error conflict" aria-labelledby="conflict-title">
      <h2 id="conflict-title">{t('conflict.title')}</h2>
      <p role="alert">
        {t('conflict.intro', { singular: singularName })} {both.length > 0 ? t('conflict.chooseBoth') : t('conflict.noOverlap')} {t('conflict.rest')}
      </p>
      {both.map((c) => {
        const chosen = choices[c.name] ?? 'mine';
        const pick = (v: Choice) => setChoices({ ...choices, [c.name]: v });
        return (
          <fieldset key={c.name} className="conflict-field">
            <legend>{label(c.name)}</legend>
            <div className="conflict-choices">
              <label className="conflict-choice">
                <input type="radio" name={`conflict-${c.name}`} checked={chosen === 'mine'} onChange={() => pick('mine')} />
                <span>
                  {t('conflict.keepYours')} <Value p={properties[c.name]} value={c.mine} />
                </span>
              </label>
              <label className="conflict-choice">
                <input type="radio" name={`conflict-${c.name}`} checked={chosen === 'theirs'} onChange={() => pick('theirs')} />
                <span>
                  {t('conflict.takeTheirs')} <Value p={properties[c.name]} value={c.theirs} />
                </span>
              </label>
            </div>
          </fieldset>
        );
      })}
      {theirsOnly.length > 0 && (
        <div>
          {t('conflict.taken')}
          <ul className="conflict-taken">
            {theirsOnly.map((c) => (
              <li key={c.name}>
                {label(c.name)}: <Value p={properties[c.name]} value={c.theirs} />
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="conflict-actions">
        <button type="button" className="btn btn-primary" onClick={() => onSave(choices)}>
          {t('conflict.save')}
        </button>
        <button type="button" className="btn" onClick={onDiscard}>
          {t('conflict.discard')}
        </button>
      </div>
    </section>
  );
}
