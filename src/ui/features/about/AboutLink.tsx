// The top bar's way to the About page (it lives outside the schema's navigation, so it is
// there on every server). Its words load with their catalogue, without holding up the bar.

import { Info } from 'lucide-react';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ABOUT_PATH } from './version';

function Words() {
  const { t } = useTranslation('about');
  return (
    <Link to={ABOUT_PATH} className="btn btn-ghost" title={t('linkLabel')}>
      <Info aria-hidden="true" size={16} />
      <span className="topbar-label">{t('link')}</span>
    </Link>
  );
}

export function AboutLink() {
  return (
    <Suspense fallback={null}>
      <Words />
    </Suspense>
  );
}
