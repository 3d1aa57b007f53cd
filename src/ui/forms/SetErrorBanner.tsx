// The banner for a refused save or delete; for objectIsLinked it names the linked records.

import { useQuery } from '@tanstack/react-query';
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

export function SetErrorBanner({ error, singularName, recordLabel }: { error: SetError; singularName?: string; recordLabel?: string }) {
  const { summary } = describeSetError(error, singularName);
  const groups = new Map<string, string[]>();
  for (const l of error.linkedObjects ?? []) groups.set(l.object, [...(groups.get(l.object) ?? []), l.id]);
  return (
    <div className="banner banner-error" role="alert">
      <div>
        {recordLabel && <strong>{recordLabel}: </strong>}
        {summary}
        {groups.size > 0 && (
          <>
            {' '}Linked records:
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
