import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { metricsResponder } from '../src/metrics/exposition';

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * The worker's own small HTTP server (the worker has no other): `GET /metrics` for Prometheus and
 * `GET /healthz` for an orchestrator's liveness probe. Bare node:http, since it serves two routes.
 */
export async function startMetricsServer(
  port: number,
  registry: Registry,
  token: string | undefined,
): Promise<MetricsServer> {
  const respond = metricsResponder(registry, token);
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (req.method === 'GET' && path === '/metrics') return void respond(req, res);
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
    server.listen(port, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
