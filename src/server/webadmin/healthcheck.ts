// Seed 002 › HealthCheck, over x:HealthCheck (services/health.ts keeps the records):
//   GET /healthcheck                       200 when every component is healthy, else 500;
//                                          the body lists every check (newer James's shape)
//   GET /healthcheck/checks/{component}    one check: 200 healthy, 500 degraded or unhealthy,
//                                          404 unknown component
// A check is {componentName, escapedComponentName, status, cause}, status in the seed's
// capitals (HEALTHY, DEGRADED, UNHEALTHY). The component is its componentName ("LMTP%20delivery")
// or its record id ("lmtp"). Reads run a round of checks first (see services/health.ts).

import { COMPONENTS, HEALTH } from '../services/health';
import type { Calls, Rec } from './calls';
import { notFound } from './errors';
import type { Reply, Route } from './router';

const ORDER = Object.keys(COMPONENTS);

/** James's view of one record. */
function check(rec: Rec) {
  const name = String(rec.componentName);
  return { componentName: name, escapedComponentName: encodeURIComponent(name), status: String(rec.status).toUpperCase(), cause: rec.cause ?? null };
}

async function checks(calls: Calls): Promise<Rec[]> {
  await calls.refresh(HEALTH, 'get');
  return calls.getMany(HEALTH, ORDER).filter(Boolean);
}

const WORST = ['healthy', 'degraded', 'unhealthy'];

export function healthcheckRoutes(): Route[] {
  return [
    {
      method: 'GET',
      path: '/healthcheck',
      handler: async ({ calls }): Promise<Reply> => {
        const recs = await checks(calls);
        // No record yet (the checker has not finished its first round): nothing is known to work.
        const worst = recs.length === 0 ? 'unhealthy' : WORST[Math.max(...recs.map((r) => WORST.indexOf(String(r.status))))];
        return { status: worst === 'healthy' ? 200 : 500, body: { status: worst.toUpperCase(), checks: recs.map(check) } };
      },
    },
    {
      method: 'GET',
      path: '/healthcheck/checks/:component',
      handler: async ({ params, calls }): Promise<Reply> => {
        const wanted = params.component;
        const rec = (await checks(calls)).find((r) => r.componentName === wanted || r.id === wanted);
        if (!rec) {
          throw notFound(`Component with name ${wanted} cannot be found`, `The components are ${Object.values(COMPONENTS).map((n) => JSON.stringify(n)).join(', ')}`);
        }
        return { status: rec.status === 'healthy' ? 200 : 500, body: check(rec) };
      },
    },
  ];
}
