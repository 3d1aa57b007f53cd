// The embedded server's wiring: store, first start, services, authentication, OAuth, and
// the HTTP server that routes to them (src/server/http/).

import http from 'node:http';
import { canonicalIpMask } from '../shared/ipmask';
import { utcDateTime } from '../shared/schema/validate';
import { Authenticator } from './auth/authenticate';
import { AccessGuard, guardSettingsFromEnv } from './auth/guard';
import { createOAuth, type OAuth } from './auth/oauth';
import { bootstrap, renewNode, systemSet, VERSION } from './bootstrap';
import { NODE_RENEWAL_MS } from './objects/cluster';
import type { Config } from './config';
import { consoleAssets, securityHeaders } from './http/pages';
import { startMailBridge } from './mail/authSocket';
import { startQuotaUsage } from './mail/quotaUsage';
import { mailDirectory } from './mail/directory';
import { startContentFilter } from './mail/filter/server';
import { PushStreams } from './http/push';
import { requestListener } from './http/routes';
import { schemaResponder } from './http/schema';
import { sessionState } from './http/session';
import { CATALOGUE, SCHEMA } from './objects';
import { Supervisor } from './services/supervisor';
import { HealthChecker } from './services/health';
import { TaskManager } from './tasks/manager';
import { startActivityRetention } from './activity/retention';
import { openDatabase } from './store/db';
import { Store } from './store/records';
import { startWebAdmin, type WebAdminServer } from './webadmin/server';

export interface Running {
  url: string;
  /** The WebAdmin API's address, when its listener is on (config.webadminPort). */
  webadminUrl?: string;
  store: Store;
  guard: AccessGuard;
  /** The background task runner (tests await it idle). */
  tasks: TaskManager;
  close(): Promise<void>;
}

export async function startServer(config: Config): Promise<Running> {
  const log = (msg: string) => {
    if (!config.quiet) console.log(msg);
  };
  const headers = securityHeaders(config.extraRedirectUris);
  const store = new Store(openDatabase(config.dataDir));
  bootstrap(store, config, log);
  // Postfix's content_filter hands every received mail to this filter (DLP rules, mail repositories).
  const contentFilter = await startContentFilter({ store, dataDir: config.dataDir, log }).catch((e: Error) => {
    log(`Content filter not started: ${e.message}. Received mail waits in the Postfix queue until it runs`);
    return null;
  });
  // Dovecot's quota_clone reports each mailbox's usage here (mail/quotaUsage.ts): listening before Dovecot starts.
  const quotaUsage = await startQuotaUsage(config.dataDir, store, log).catch((e: Error) => {
    log(`Mailbox usage is not tracked: its socket could not listen: ${e.message}`);
    return null;
  });
  const services = new Supervisor({ store, schema: SCHEMA, dataDir: config.dataDir, nodeName: config.nodeName, log });
  await services.start();
  const tasks = new TaskManager({ store, dataDir: config.dataDir, log });
  // x:HealthCheck: one record per component, probed every few seconds (services/health.ts).
  const health = new HealthChecker({ store, dataDir: config.dataDir, tasks });
  health.start();
  const auth = new Authenticator(store);
  const guard = new AccessGuard(store, config.guard ?? guardSettingsFromEnv(), (ip, reason, expiresAt) => {
    const until = utcDateTime(expiresAt);
    // An expired block of the same address is renewed rather than duplicated.
    const existing = store.findBy('x:BlockedIp', 'address', canonicalIpMask(ip) ?? ip);
    systemSet(store, 'x:BlockedIp', existing ? { update: { [existing]: { reason, expiresAt: until } } } : { create: { b: { address: ip, reason, expiresAt: until } } });
    log(`Blocked ${ip} until ${expiresAt.toISOString()}: too many failed sign-ins`);
  });
  // Dovecot's logins and mailbox lookups (IMAP, LMTP, SMTP AUTH) ask this bridge.
  const mailBridge = await startMailBridge(config.dataDir, { directory: mailDirectory(store), guard, log });
  // Tasks start once the mail bridge answers: a re-index resumed at start looks users up through it.
  tasks.start();
  // x:Activity: entries older than x:ActivityLog.retention are removed every few minutes.
  const activityRetention = startActivityRetention(store, log);
  let oauth: OAuth | null = null;
  const externalWrites = setInterval(() => store.pollExternalWrites(), 1000);
  externalWrites.unref();
  const lease = setInterval(() => renewNode(store, config.nodeName), NODE_RENEWAL_MS);
  lease.unref();
  const assets = consoleAssets(config.staticDir, headers);
  const push = new PushStreams(store, SCHEMA, (accountId) => auth.caller(accountId));

  const server = http.createServer(
    requestListener({
      auth,
      guard,
      oauth: () => oauth,
      // A response's sessionState is the caller's after the calls ran, so a change to
      // one's own roles shows in the reply to that very /set.
      api: { store, catalogue: CATALOGUE, sessionState: (c) => sessionState(auth.caller(c.accountId) ?? c), log: (e: unknown) => console.error('[postern] method failed:', e) },
      schema: schemaResponder(SCHEMA),
      push,
      assets: assets.serve,
      securityHeaders: headers,
    }),
  );
  server.keepAliveTimeout = 30_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  const created = createOAuth({
    store,
    auth,
    guard,
    publicUrl: config.publicUrl ?? url,
    extraRedirectUris: config.extraRedirectUris,
    accessTokenTtl: config.accessTokenTtl,
  });
  oauth = created;
  auth.verifyAccessToken = (token) => created.verifyAccessToken(token);
  let webadmin: WebAdminServer | null = null;
  if (config.webadminPort !== undefined) {
    const webadminDeps = { store, catalogue: CATALOGUE, auth, guard, securityHeaders: headers, log: (e: unknown) => console.error('[postern] WebAdmin request failed:', e) };
    try {
      webadmin = await startWebAdmin(webadminDeps, config.webadminPort, config.host);
      log(`WebAdmin API listening on ${webadmin.url}`);
    } catch (e) {
      // The console and JMAP stay up: only this listener is missing, and the log says why.
      const why = (e as NodeJS.ErrnoException).code === 'EADDRINUSE' ? `port ${config.webadminPort} on ${config.host} is in use by another program` : String((e as Error).message);
      log(`WebAdmin API not started: ${why}. Set WEBADMIN_PORT to a free port, or to off.`);
    }
  }
  log(`Postern ${VERSION} listening on ${url}  (data: ${config.dataDir}${assets.built ? '' : '; console not built'})`);

  return {
    url,
    ...(webadmin ? { webadminUrl: webadmin.url } : {}),
    store,
    guard,
    tasks,
    close: () =>
      new Promise<void>((resolve) => {
        push.closeAll();
        guard.close();
        clearInterval(externalWrites);
        clearInterval(lease);
        void webadmin?.close();
        void mailBridge?.close();
        server.close(() => {
          // Daemons, and what writes to the store for them (the content filter, usage reports),
          // are stopped before the store is closed; each close is bounded in time.
          void Promise.all([services.close(), tasks.close(), health.close(), activityRetention.close(), contentFilter?.close(), quotaUsage?.close()]).then(() => {
            store.db.close();
            resolve();
          });
        });
        server.closeAllConnections();
      }),
  };
}
