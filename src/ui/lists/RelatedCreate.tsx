// A new part of a record, made from that record's page: the part's generated create form
// without the reference (it is this record), sent with the reference filled in.

import { useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { DynamicForm, type SubmitHelpers, type Values } from '../forms/DynamicForm';
import { buildCreate } from '../forms/patch';
import { showFieldErrors } from '../forms/setErrors';
import { SetErrorBanner } from '../forms/SetErrorBanner';
import { initialValues } from '../forms/values';
import { useClient } from '../jmap/context';
import { createRecord, invalidateObject } from '../jmap/mutations';
import { SetRecordError, type SetError } from '../jmap/types';
import { useToast } from '../lib/toast';
import { useConsole } from '../schema/context';
import { defaultsOf, recordFields, type ResolvedView } from '../schema/resolve';

interface Props {
  view: ResolvedView;
  fieldName: string;
  parentId: string;
  onDone: () => void;
}

export function RelatedCreate({ view, fieldName, parentId, onDone }: Props) {
  const { t } = useTranslation('lists');
  const { doc } = useConsole();
  const client = useClient();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [refused, setRefused] = useState<SetError | null>(null);
  const { schemaName, properties: all } = recordFields(doc, view);
  const properties = Object.fromEntries(Object.entries(all).filter(([k]) => k !== fieldName));
  const form = { ...view.form, sections: view.form.sections.map((s) => ({ ...s, title: undefined, fields: s.fields.filter((f) => f.name !== fieldName) })) };
  const singular = view.list?.singularName ?? t('fallback.singular');
  const [initial] = useState(() => ({ values: initialValues(doc, schemaName) }));
  // Opened from a button that goes away: the first field takes the focus.
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    box.current?.querySelector<HTMLElement>('input, select, textarea')?.focus();
  }, []);

  async function save(values: Values, helpers: SubmitHelpers) {
    setRefused(null);
    try {
      await createRecord(client, view.objectName, { ...buildCreate(properties, values), [fieldName]: parentId });
      helpers.reset({ values: initial.values });
      await invalidateObject(queryClient, view.objectName);
      toast(t('related.created', { what: singular }));
      onDone();
    } catch (e) {
      if (!(e instanceof SetRecordError)) return setRefused({ type: 'serverFail', description: (e as Error).message });
      showFieldErrors(e.error, { doc, properties }, helpers.setError, singular, new Set(Object.keys(properties)));
      setRefused(e.error);
    }
  }

  return (
    <div className="related-create" ref={box}>
      <DynamicForm
        view={{ ...view, form }}
        form={{ ...form, title: t('new', { what: singular }) }}
        properties={properties}
        defaults={defaultsOf(doc, schemaName)}
        initial={initial}
        mode="create"
        idPrefix={`new-${view.objectName.replace(/[^A-Za-z0-9]/g, '-')}`}
        canWrite
        submitLabel={t('related.create', { what: singular })}
        onSubmit={save}
        banner={refused && <SetErrorBanner error={refused} singularName={singular} />}
      />
      <button type="button" className="btn btn-ghost" onClick={onDone}>
        {t('cancel', { ns: 'common' })}
      </button>
    </div>
  );
}
