// A form's draft: restored over the version it was made from when the page opens again
// (with a notice and a way to discard it), rewritten on every change, cleared on save.

import { useEffect, useLayoutEffect, useState, type ReactNode, type RefObject } from 'react';
import type { UseFormReturn } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import { deepEqual } from '../../shared/equal';
import type { Property } from '../../shared/schema/types';
import { currentLocale } from '../i18n/i18n';
import { useConsole } from '../schema/context';
import { clearDraft, isSecret, readDraft, withoutSecrets, writeDraft, type Draft } from './drafts';
import type { Values, Version } from './values';

/** Puts `values` in the form over `base`, each differing field dirty, so the form reads as edited. */
export function applyOver(form: UseFormReturn<Values>, base: Values, values: Values): void {
  form.reset(base);
  for (const [name, v] of Object.entries(values)) {
    if (!deepEqual(v, base[name])) form.setValue(name, v, { shouldDirty: true });
  }
}

/** The draft a form opens with, read once: its base is where the form starts. */
export function useRestoredDraft(key: string | undefined): Draft | null {
  const [draft] = useState(() => (key ? readDraft(key) : null));
  return draft;
}

export function useDraft(
  form: UseFormReturn<Values>, key: string | undefined, restored: Draft | null,
  properties: Record<string, Property>, base: RefObject<Version>, latest: () => Version,
): { notice: ReactNode; clear: () => void } {
  const { doc } = useConsole();
  const { t } = useTranslation('forms');
  const [shown, setShown] = useState(restored);
  const { watch } = form;

  // Before the first paint, so the page never shows the saved values and then the draft.
  useLayoutEffect(() => {
    if (restored) applyOver(form, restored.base.values, restored.values);
    // Once, on opening: later changes are the person's own.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the restored draft is applied exactly once
  }, []);

  useEffect(() => {
    if (!key) return;
    const sub = watch((values) => {
      const now = values as Values;
      if (deepEqual(now, base.current.values)) clearDraft(key);
      else {
        const kept = withoutSecrets(doc, properties, now, base.current.values);
        writeDraft(key, { values: kept, droppedSecrets: !deepEqual(kept, now), base: base.current, savedAt: Date.now() });
      }
    });
    return () => sub.unsubscribe();
  }, [key, watch, properties, base, doc]);

  const clear = () => {
    if (key) clearDraft(key);
    setShown(null);
  };
  const discard = () => {
    clear();
    base.current = latest();
    form.reset(base.current.values);
  };
  const secrets = shown?.droppedSecrets ?? Object.values(properties).some(isSecret);
  // The time of this browser's clock, in the console's language: when the person last typed.
  const time = shown && new Intl.DateTimeFormat(currentLocale(), { hour: '2-digit', minute: '2-digit' }).format(shown.savedAt);
  const notice = shown && (
    <div className="banner banner-info" role="status">
      <div>{secrets ? t('draft.keptSecrets', { time }) : t('draft.kept', { time })}</div>
      <button type="button" className="btn btn-small" onClick={discard}>
        {t('draft.discard')}
      </button>
    </div>
  );
  return { notice, clear };
}
