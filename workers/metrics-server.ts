import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Config } from '../config';
import type { Logger } from '../src/logging';
import { metricsResponder } from '../src/metrics/exposition';
import type { RedisHealth } from '../src/redis/redis-health';

export interface MetricsServer {
  port: number;
  /** the interface it listens on (METRICS_HOST) */
  host: string;
  close(): Promise<void>;
}

/**
 * The worker's own small HTTP server (the worker has no other): `GET /metrics` for Prometheus,
 * `GET /healthz` for an orchestrator's liveness probe and `GET /readyz` (503 while Redis, or a
 * cluster master, does not answer: the worker waits that out by itself, so it is for alerting
 * and dashboards, not a reason to restart it). Bare node:http, since it serves three routes.
 * It listens on METRICS_HOST, loopback by default: what it shows is the operator's, not the
 * network's, and opening it (`0.0.0.0`, ideally with METRICS_TOKEN) is a deliberate choice.
 */
export async function startMetricsServer(
  settings: Config['metrics'],
  registry: Registry,
  redisHealth: () => Promise<RedisHealth>,
): Promise<MetricsServer> {
  const respond = metricsResponder(registry, settings.token);
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (req.method === 'GET' && path === '/metrics') return void respond(req, res);
    if (req.method === 'GET' && path === '/readyz') return void answerReadiness(res, redisHealth);
    if (req.method === 'GET' && path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      return void res.end('ok');
    }
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('not found');
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(settings.port, settings.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    port: address.port,
    host: address.address,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function answerReadiness(res: http.ServerResponse, redisHealth: () => Promise<RedisHealth>): Promise<void> {
  const health = await redisHealth();
  res.writeHead(health.ready ? 200 : 503, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(health.ready ? 'ready' : (health.reason ?? 'redis unavailable'));
}

/**
 * The metrics server, or none when METRICS_PORT is 0 or it cannot listen. Metrics are not worth
 * a worker: when the port is taken (a second worker on the same host, the sandbox beside a
 * running worker) or the interface is not this host's, the worker says so in a warning and
 * answers messages without metrics.
 */
export async function startMetricsIfPossible(
  settings: Config['metrics'],
  registry: Registry,
  logger: Logger,
  redisHealth: () => Promise<RedisHealth>,
): Promise<MetricsServer | undefined> {
  if (settings.port === 0) return undefined;
  try {
    return await startMetricsServer(settings, registry, redisHealth);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
    logger.warn(
      { code, host: settings.host, port: settings.port },
      code === 'EADDRINUSE'
        ? 'metrics port is taken (another worker on this host?): running without metrics; set METRICS_PORT to a free port, or 0'
        : 'metrics server could not listen: running without metrics; check METRICS_HOST and METRICS_PORT',
    );
    return undefined;
  }
}
