import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import { sameSecret } from '../crypto/same-secret';

/**
 * Answers a Prometheus scrape with the registry's text. With a token set, only a request that
 * carries `Authorization: Bearer <token>` gets the numbers; the rest get 401, so a `/metrics`
 * reachable from the internet tells a stranger nothing about traffic.
 */
export function metricsResponder(registry: Registry, token: string | undefined) {
  return async function respond(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (token !== undefined && !sameSecret(bearerToken(req), token)) {
      res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer' });
      res.end('metrics need a bearer token');
      return;
    }
    try {
      const text = await registry.metrics();
      res.writeHead(200, { 'content-type': registry.contentType });
      res.end(text);
    } catch {
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('metrics unavailable');
    }
  };
}

function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
  return match?.[1];
}
