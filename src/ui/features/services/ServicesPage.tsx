// Settings › Services: the mail daemons the server supervises (seed 003), one panel each
// (ServicePanel); with an id in the address, only that one.

import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useClient } from '../../jmap/context';
import { PageHeader } from '../../lib/PageHeader';
import { ErrorBanner, Loading } from '../../lib/Status';
import { useFailure } from '../../lib/useFailure';
import type { CustomPageProps } from '../../schema/nav';
import { nodesQueryOptions, servicesQueryOptions } from './queries';
import { ServicePanel } from './ServicePanel';
import './services.css';

export default function ServicesPage({ link, id, crumbs }: CustomPageProps) {
  const { t } = useTranslation('services');
  const client = useClient();
  const services = useQuery(servicesQueryOptions(client, false));
  const nodes = useQuery(nodesQueryOptions(client));
  const failure = useFailure(services);
  const shown = (services.data ?? []).filter((s) => !id || s.id === id).sort((a, b) => String(a.generalName).localeCompare(String(b.generalName)));
  const title = id && shown[0] ? String(shown[0].generalName) : link.name;

  return (
    <>
      <PageHeader crumbs={id ? [...crumbs, { label: title }] : crumbs} title={title} subtitle={t('page.subtitle')} />
      {failure.error !== undefined ? (
        <ErrorBanner error={failure.error} retrying={failure.retrying} onRetry={() => void services.refetch()} />
      ) : services.isPending ? (
        <Loading label={t('page.loading')} />
      ) : shown.length === 0 ? (
        <p className="empty">{id ? t('page.noSuchService', { id }) : t('page.none')}</p>
      ) : (
        shown.map((s) => <ServicePanel key={s.id} service={s} nodes={nodes.data ?? []} />)
      )}
    </>
  );
}
