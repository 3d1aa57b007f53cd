// Beside the Role form: the permissions this role ends up with after inheritance, live
// as the form is edited, and which role grants (or denies) each one.

import { useDeferredValue, useMemo } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useWatch } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { PanelProps } from '../../forms/registry';
import { useClient } from '../../jmap/context';
import type { JmapClient } from '../../jmap/client';
import { keys } from '../../jmap/keys';
import type { GetResponse, JmapRecord } from '../../jmap/types';
import { setMembers } from '../../lib/set';
import { useConsole } from '../../schema/context';
import { enumLabel } from '../../schema/format';
import { labelPropertyOf } from '../../schema/resolve';
import { effectivePermissions, reachableRoles, type RoleLike } from './effective';

const ROLE = 'x:Role';
const SELF = '\u0000self';

/** Loads every role reachable from `start`, one request per inheritance level. */
async function fetchAncestors(client: JmapClient, start: string[], properties: string[]): Promise<Map<string, JmapRecord>> {
  const found = new Map<string, JmapRecord>();
  const gone = new Set<string>();
  let wanted = start;
  while (wanted.length > 0) {
    const r = await client.call<GetResponse>(`${ROLE}/get`, { ids: wanted, properties });
    for (const rec of r.list) found.set(rec.id, rec);
    for (const id of r.notFound ?? []) gone.add(id);
    const next = new Set<string>();
    for (const rec of r.list) for (const p of setMembers(rec.roleIds)) if (!found.has(p) && !gone.has(p)) next.add(p);
    wanted = [...next];
  }
  return found;
}

export function EffectivePermissions({ control, recordId }: PanelProps) {
  const { t } = useTranslation('roles');
  const { doc } = useConsole();
  const client = useClient();
  const [roleIds, enabled, disabled] = useWatch({ control, name: ['roleIds', 'enabledPermissions', 'disabledPermissions'] });
  const self: RoleLike = useDeferredValue({ roleIds, enabledPermissions: enabled, disabledPermissions: disabled });
  const labelProp = labelPropertyOf(doc, ROLE) ?? 'description';
  const rootId = recordId ?? SELF;
  const parents = setMembers(self.roleIds).filter((id) => id !== rootId).sort();

  const ancestors = useQuery({
    queryKey: keys.derived(ROLE, 'ancestors', parents),
    queryFn: () => fetchAncestors(client, parents, ['id', labelProp, 'roleIds', 'enabledPermissions', 'disabledPermissions']),
    enabled: parents.length > 0,
    staleTime: 10_000,
  });

  const { eff, name } = useMemo(() => {
    const lookup = (id: string): RoleLike | undefined => (id === rootId ? self : (ancestors.data?.get(id) as RoleLike | undefined));
    const nameOf = (id: string) => (id === rootId ? t('thisRole') : String(ancestors.data?.get(id)?.[labelProp] || id));
    return { eff: effectivePermissions(rootId, lookup), name: nameOf };
  }, [self, ancestors.data, rootId, labelProp, t]);

  const perm = (p: string) => enumLabel(doc, 'Permission', p);
  const granted = [...eff.granted].sort((a, b) => perm(a[0]).localeCompare(perm(b[0])));
  const denied = [...eff.denied].filter(([, d]) => d.grantedBy.length > 0).sort((a, b) => perm(a[0]).localeCompare(perm(b[0])));
  const missing = ancestors.isFetching ? [] : reachableRoles(rootId, (id) => (id === rootId ? self : (ancestors.data?.get(id) as RoleLike | undefined))).missing;

  return (
    // Focusable: on a wide screen the panel scrolls on its own, and keyboards must scroll it too.
    <section className="panel effective" aria-labelledby="effective-title" tabIndex={0}>
      <h2 id="effective-title">{t('title')}</h2>
      <p className="muted">
        {eff.roles.length > 1 ? t('after', { roles: eff.roles.slice(1).map(name).join(', ') }) : t('afterNone')}
        {ancestors.isFetching && ` ${t('loadingInherited')}`}
      </p>
      {ancestors.isError && <p className="field-error">{t('loadFailed', { reason: (ancestors.error as Error).message })}</p>}
      {missing.length > 0 && <p className="field-error">{t('notFound', { ids: missing.join(', ') })}</p>}
      <h3>
        {t('granted')} <span className="count">{granted.length}</span>
      </h3>
      {granted.length === 0 ? (
        <p className="muted">{t('none')}</p>
      ) : (
        <table className="table table-compact" aria-label={t('grantedTable')}>
          <thead>
            <tr>
              <th scope="col">{t('permission')}</th>
              <th scope="col">{t('grantedBy')}</th>
            </tr>
          </thead>
          <tbody>
            {granted.map(([p, by]) => (
              <tr key={p}>
                <td>{perm(p)}</td>
                <td>{by.map(name).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {denied.length > 0 && (
        <>
          <h3>
            {t('denied')} <span className="count">{denied.length}</span>
          </h3>
          <table className="table table-compact" aria-label={t('deniedTable')}>
            <thead>
              <tr>
                <th scope="col">{t('permission')}</th>
                <th scope="col">{t('deniedBy')}</th>
                <th scope="col">{t('wouldBeGrantedBy')}</th>
              </tr>
            </thead>
            <tbody>
              {denied.map(([p, d]) => (
                <tr key={p}>
                  <td>{perm(p)}</td>
                  <td>{d.deniedBy.map(name).join(', ')}</td>
                  <td>{d.grantedBy.map(name).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
