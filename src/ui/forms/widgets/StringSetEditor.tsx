// A set of free values (strings, IP masks, numbers): chips plus an input to add one.

import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldType } from '../../../shared/schema/types';
import { setMembers, toSet } from '../../lib/set';
import { useConsole } from '../../schema/context';
import { validateValue } from '../validate';
import { midSentence } from '../words';

interface Props {
  id: string;
  label: string;
  memberType: FieldType;
  value: unknown;
  onChange: (v: Record<string, true>) => void;
  readOnly?: boolean;
  describedBy?: string;
}

export function StringSetEditor({ id, label, memberType, value, onChange, readOnly, describedBy }: Props) {
  const { doc } = useConsole();
  const { t } = useTranslation('forms');
  const members = setMembers(value);
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const add = () => {
    const v = text.trim();
    if (!v) return;
    const p = validateValue(doc, memberType, memberType.type === 'number' ? Number(v) : v, false);
    if (p) return setProblem(p);
    onChange(toSet([...members, v]));
    setText('');
    setProblem(undefined);
  };
  return (
    <div className="string-set">
      {members.length > 0 && (
        <ul className="chips" aria-label={t('stringSet.current', { label })}>
          {members.map((m) => (
            <li key={m} className="chip">
              {m}
              {!readOnly && (
                <button type="button" className="chip-remove" aria-label={t('removeNamed', { name: m })} onClick={() => onChange(toSet(members.filter((x) => x !== m)))}>
                  {'\u00d7'}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {!readOnly && (
        <div className="inline-add">
          <label htmlFor={id} className="sr-only">
            {t('stringSet.addTo', { label: midSentence(label) })}
          </label>
          <input
            id={id}
            value={text}
            aria-invalid={problem ? true : undefined}
            aria-describedby={[describedBy, problem && `${id}-problem`].filter(Boolean).join(' ') || undefined}
            onChange={(e) => setText(e.target.value)}
            // What was typed counts even without pressing Add.
            onBlur={() => add()}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                add();
              }
            }}
          />
          <button type="button" className="btn btn-small" onClick={add}>
            {t('stringSet.add')}
          </button>
        </div>
      )}
      {problem && (
        <p id={`${id}-problem`} className="field-error">
          {problem}
        </p>
      )}
    </div>
  );
}
