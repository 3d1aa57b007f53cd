// The banner for a refused save or delete: what happened and what to do next, in the
// schema's words; a long list of permissions in full on demand; for objectIsLinked the
// linked records; problems on fields the form does not show.

import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useClient } from '../jmap/context';
import { recordsQueryOptions } from '../jmap/queries';
import type { SetError } from '../jmap/types';
import { useConsole } from '../schema/context';
import { linkForObject, paths } from '../schema/nav';
import { labelPropertyOf } from '../schema/resolve';
import { describeSetError } from './setErrors';

function LinkedGroup({ objectName, ids }: { objectName: string; ids: string[] }) {
  const { doc, links } = useConsole();
  const client = useClient();
  const labelProp = labelPropertyOf(doc, objectName);
  const records = useQuery(recordsQueryOptions(client, objectName, ids, labelProp ? ['id', labelProp] : undefined));
  const link = linkForObject(doc, links, objectName);
  const name = doc.lists[objectName]?.singularName ?? objectName.replace(/^x:/, '');
  const kind = name.charAt(0).toUpperCase() + name.slice(1);
  return (
    <>
      {ids.map((id) => {
        const rec = records.data?.find((r) => r.id === id);
        const label = (labelProp && rec && typeof rec[labelProp] === 'string' && (rec[labelProp] as string)) || id;
        return (
          <li key={id}>
            {kind}: {link ? <Link to={paths.record(link, id)}>{label}</Link> : label}
          </li>
        );
      })}
    </>
  );
}

export function SetErrorBanner({ error, singularName, recordLabel, elsewhere = [] }: { error: SetError; singularName?: string; recordLabel?: string; elsewhere?: string[] }) {
  const { doc } = useConsole();
  const { t } = useTranslation('forms');
  const { summary, lists } = describeSetError(error, singularName, { doc, properties: {} });
  const groups = new Map<string, string[]>();
  for (const l of error.linkedObjects ?? []) groups.set(l.object, [...(groups.get(l.object) ?? []), l.id]);
  return (
    <div className="banner banner-error" role="alert">
      <div>
        {recordLabel && <strong>{recordLabel}: </strong>}
        {summary}
        {elsewhere.length > 0 && (
          <ul className="linked-list">
            {elsewhere.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        )}
        {lists.map((l, i) => (
          <details key={i}>
            <summary>{t('banner.showAll', { n: l.length })}</summary>
            <ul className="linked-list">
              {l.map((m) => (
                <li key={m}>{m}</li>
              ))}
            </ul>
          </details>
        ))}
        {groups.size > 0 && (
          <>
            {' '}{t('banner.linked')}
            <ul className="linked-list">
              {[...groups].map(([objectName, ids]) => (
                <LinkedGroup key={objectName} objectName={objectName} ids={ids} />
              ))}
            </ul>
          </>
        )}
      </div>
    </div>
  );
}
