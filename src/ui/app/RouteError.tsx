// The router's error page: a page that failed to render (or whose code failed to load).

import { useRouteError } from 'react-router';
import { Crash } from './Crash';

export function RouteError() {
  return <Crash error={useRouteError()} />;
}
