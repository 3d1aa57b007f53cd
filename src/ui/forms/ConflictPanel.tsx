// After "changed by someone else": per field, what the person typed beside what the server
// now holds, a choice where both changed it, and a save against the server's new version.

import { useState } from 'react';
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
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const both = changes.filter((c) => c.both);
  const theirsOnly = changes.filter((c) => !c.both);
  const label = (name: string) => labels[name] ?? name;
  return (
    <section className="banner banner-error conflict" aria-labelledby="conflict-title">
      <h2 id="conflict-title">Changed by someone else</h2>
      <p role="alert">
        Someone else changed this {singularName} while you were editing.{' '}
        {both.length > 0
          ? 'Where you both changed a field, choose which value to keep. '
          : 'None of the fields you changed were changed by them. '}
        Their other changes are taken as they are, and your save then applies to their version.
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
                  Keep yours: <Value p={properties[c.name]} value={c.mine} />
                </span>
              </label>
              <label className="conflict-choice">
                <input type="radio" name={`conflict-${c.name}`} checked={chosen === 'theirs'} onChange={() => pick('theirs')} />
                <span>
                  Take theirs: <Value p={properties[c.name]} value={c.theirs} />
                </span>
              </label>
            </div>
          </fieldset>
        );
      })}
      {theirsOnly.length > 0 && (
        <div>
          Changed by them, taken as they are:
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
          Save with these choices
        </button>
        <button type="button" className="btn" onClick={onDiscard}>
          Discard my changes
        </button>
      </div>
    </section>
  );
}
