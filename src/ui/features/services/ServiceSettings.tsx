// The schema's x:Service form inside a service's panel; a save stores the settings, a
// restart applies them.

import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DynamicForm, type SubmitHelpers, type Values, type Version } from '../../forms/DynamicForm';
import { buildPatch } from '../../forms/patch';
import { SetErrorBanner } from '../../forms/SetErrorBanner';
import { showFieldErrors } from '../../forms/setErrors';
import { useSaveRecord } from '../../jmap/mutations';
import { SetRecordError, type JmapRecord, type SetError } from '../../jmap/types';
import { ErrorBanner } from '../../lib/Status';
import { useStable } from '../../lib/useStable';
import { useConsole } from '../../schema/context';
import { can, defaultsOf, recordFields, resolveView } from '../../schema/resolve';
import { SERVICE } from './queries';

export function ServiceSettings({ service, name }: { service: JmapRecord; name: string }) {
  const { t } = useTranslation('services');
  const { doc, permissions } = useConsole();
  const saveRecord = useSaveRecord(SERVICE);
  const view = resolveView(doc, SERVICE);
  const { schemaName, properties } = view ? recordFields(doc, view) : { schemaName: undefined, properties: {} };
  const [problem, setProblem] = useState<{ refused: SetError } | { error: unknown } | null>(null);
  // Stays beside the form (not a passing notice): it says what the person still has to do.
  const [notice, setNotice] = useState<string | null>(null);
  // Status changes every few seconds; the form only follows the settings (the mutable
  // properties). No state is named on save: the measured status moves the type's state
  // all the time, and only the settings are the person's to conflict over.
  const settingsKey = JSON.stringify(Object.keys(properties).filter((k) => properties[k].update === 'mutable').map((k) => service[k]));
  const settings = useStable(service, settingsKey);
  const initial = useMemo((): Version => ({ values: { ...settings } }), [settings]);
  if (!view) return null;
  const running = service.status === 'running';

  async function save(values: Values, helpers: SubmitHelpers) {
    setProblem(null);
    setNotice(null);
    const patch = buildPatch(doc, properties, helpers.base.values, values);
    if (Object.keys(patch).length === 0) return;
    try {
      const saved = await saveRecord.mutateAsync({ kind: 'update', id: service.id, patch, values: { ...helpers.base.values, ...values } });
      helpers.reset({ values: saved.record });
      setNotice(running ? t('settings.savedRestart', { service: name }) : t('settings.savedStart', { service: name }));
    } catch (e) {
      if (e instanceof SetRecordError) {
        showFieldErrors(e.error, { doc, properties }, helpers.setError, t('noun'));
        setProblem({ refused: e.error });
      } else setProblem({ error: e });
    }
  }

  return (
    <section className="service-settings" aria-labelledby={`settings-${service.id}`}>
      <h3 id={`settings-${service.id}`}>{t('settings.title')}</h3>
      <p className="hint">{t('settings.hint', { service: name })}</p>
      <div aria-live="polite">{notice && <p className="banner banner-success">{notice}</p>}</div>
      <DynamicForm
        key={service.id}
        view={{ ...view, form: { ...view.form, title: t('settings.formTitle', { service: name }) } }}
        properties={properties}
        defaults={defaultsOf(doc, schemaName)}
        initial={initial}
        mode="edit"
        canWrite={can(permissions, view.permissionPrefix, 'Update')}
        submitLabel={t('settings.save')}
        onSubmit={save}
        banner={problem && ('refused' in problem ? <SetErrorBanner error={problem.refused} singularName={t('noun')} /> : <ErrorBanner error={problem.error} />)}
      />
    </section>
  );
}
