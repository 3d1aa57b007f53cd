// The page the URL points to, found through the routes.

import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'react-router';
import { Loading } from '../lib/Status';
import { useConsole } from '../schema/context';
import { pageAt } from './routes';

export function CurrentPage() {
  // Renders again in another language: the routes' own words (breadcrumbs) are read here.
  useTranslation('app');
  const { doc, links, permissions } = useConsole();
  const { pathname } = useLocation();
  return <Suspense fallback={<Loading />}>{pageAt(pathname, doc, links, permissions)}</Suspense>;
}
