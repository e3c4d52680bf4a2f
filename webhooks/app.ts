import express, { type Express } from 'express';
import type { Logger } from '../src/logging';
import { platformSchema } from '../src/core/inbound';
import { sameSecret } from '../src/crypto/same-secret';
import { errorPage } from './error-page';
import type { PlatformRegistry } from '../src/platforms/registry';
import type { RedisHealth } from '../src/redis/redis-health';
import { ThrottledWarning } from './throttled-warning';

/**
 * Everything on `web` except the webhook POSTs (see ingest.ts): Meta's verification handshake,
 * health, readiness, metrics and the queue dashboard. Small, and Express makes it easy to grow.
 */
export interface AppDependencies {
  adapters: PlatformRegistry;
  verifyToken: string;
  /** whether Redis serves every key (on a cluster: every master answers), src/redis/redis-health.ts */
  redisHealth(): Promise<RedisHealth>;
  logger: Logger;
  /** refused handshakes (anyone can send one) log at most one line per this many ms */
  refusalLogIntervalMs?: number;
  /** Meta's data-deletion callback and its status page (webhooks/data-deletion.ts) */
  dataDeletion?: express.RequestHandler;
  /** the one-time /export links (webhooks/export-download.ts) */
  exportDownload?: express.RequestHandler;
  /** GET /metrics: Prometheus text (src/metrics/exposition.ts) */
  metrics: (req: express.Request, res: express.Response) => Promise<void>;
  /** the agent side of the plain webhook handoff target (webhooks/handoff-routes.ts); absent without it */
  handoff?: express.Router;
  /** the queue dashboard under /admin/queues; absent without ADMIN_TOKEN, so the path is 404 */
  adminDashboard?: express.Router;
  /** Chatwoot's webhook, POST /handoff/chatwoot (webhooks/chatwoot-webhook.ts); absent without Chatwoot */
  chatwootWebhook?: express.Router;
}

export function createApp(deps: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  const refused = new ThrottledWarning(
    deps.logger,
    'webhook verification refused',
    deps.refusalLogIntervalMs ?? 10_000,
  );

  app.get('/healthz', (_req, res) => {
    res.type('text/plain').send('ok');
  });

  app.get('/metrics', (req, res) => void deps.metrics(req, res));

  app.get('/readyz', async (_req, res) => {
    const health = await deps.redisHealth();
    if (health.ready) return void res.type('text/plain').send('ready');
    res
      .status(503)
      .type('text/plain')
      .send(health.reason ?? 'redis unavailable');
  });

  // GET /webhooks/:platform?hub.mode=subscribe&hub.verify_token=...&hub.challenge=...
  app.get('/webhooks/:platform', (req, res) => {
    const platform = platformSchema.safeParse(req.params.platform);
    if (!platform.success) return void res.status(404).type('text/plain').send('unknown platform');
    if (!deps.adapters.has(platform.data)) {
      return void res.status(404).type('text/plain').send(`${platform.data} is not configured on this server`);
    }
    const mode = req.query['hub.mode'];
    const token = req.query['hub.verify_token'];
    const challenge = req.query['hub.challenge'];
    if (mode === 'subscribe' && sameSecret(token, deps.verifyToken) && typeof challenge === 'string') {
      deps.logger.info({ platform: platform.data }, 'webhook verified');
      // The challenge is the caller's own text echoed back: never let a browser sniff it as HTML.
      res.set('X-Content-Type-Options', 'nosniff');
      return void res.status(200).type('text/plain').send(challenge);
    }
    refused.warn({ platform: platform.data });
    res.status(403).type('text/plain').send('verification failed');
  });

  if (deps.dataDeletion) app.use(deps.dataDeletion);
  if (deps.exportDownload) app.use(deps.exportDownload);
  if (deps.handoff) app.use(deps.handoff);
  if (deps.adminDashboard) app.use(deps.adminDashboard);
  if (deps.chatwootWebhook) app.use(deps.chatwootWebhook);

  app.use((_req, res) => {
    res.status(404).type('text/plain').send('not found');
  });
  app.use(errorPage(deps.logger));

  return app;
}
