import http from 'node:http';
import type { Express } from 'express';
import { platformSchema } from '../src/core/inbound';
import type { PlatformRegistry } from '../src/platforms/registry';
import type { createIngestHandler } from './ingest';

/**
 * The `web` HTTP server: webhook deliveries (POST /webhooks/<platform>) take the lean ingest
 * path; every other request goes to the Express app.
 */
export function createWebServer(
  app: Express,
  adapters: PlatformRegistry,
  ingest: ReturnType<typeof createIngestHandler>,
): http.Server {
  const server = http.createServer((req, res) => {
    if (req.method === 'POST' && req.url?.startsWith('/webhooks/')) {
      const path = req.url.slice('/webhooks/'.length).split('?', 1)[0]!.replace(/\/$/, '');
      const platform = platformSchema.safeParse(path);
      const adapter = platform.success ? adapters.get(platform.data) : undefined;
      if (adapter) {
        void ingest(adapter, req, res);
        return;
      }
    }
    app(req, res);
  });
  // Meta keeps connections open between deliveries; outlive a typical proxy's idle timeout.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}
