// Referenced records as text: their labels (links to their pages where there is one),
// never their ids, for read-only fields and records.

import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useClient } from '../../jmap/context';
import { recordsQueryOptions } from '../../jmap/queries';
import { useConsole } from '../../schema/context';
import { linkForObject, paths } from '../../schema/nav';
import { labelPropertyOf, resolveView } from '../../schema/resolve';

export function ReadOnlyRecords({ id, objectName, ids, describedBy, plain }: { id?: string; objectName: string; ids: string[]; describedBy?: string; plain?: boolean }) {
  const { doc, links } = useConsole();
  const { t } = useTranslation('forms');
  const client = useClient();
  const target = resolveView(doc, objectName)?.objectName ?? objectName;
  const labelProp = labelPropertyOf(doc, objectName);
  const records = useQuery({ ...recordsQueryOptions(client, target, ids, labelProp ? ['id', labelProp] : ['id']), enabled: ids.length > 0 });
  const link = plain ? undefined : linkForObject(doc, links, objectName);
  const labelOf = (rid: string) => {
    const r = records.data?.find((x) => x.id === rid);
    if (labelProp && r && typeof r[labelProp] === 'string' && r[labelProp]) return r[labelProp] as string;
    return records.isPending ? '…' : rid;
  };
  if (ids.length === 0) {
    return <span id={id} className="readonly-value muted" aria-describedby={describedBy}>{t('none')}</span>;
  }
  return (
    <ul id={id} className="readonly-value readonly-list" aria-describedby={describedBy}>
      {ids.map((rid) => (
        <li key={rid}>{link ? <Link to={paths.record(link, rid)}>{labelOf(rid)}</Link> : labelOf(rid)}</li>
      ))}
    </ul>
  );
}
