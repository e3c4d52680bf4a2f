import http from 'node:http';
import type { Express } from 'express';
import { platformNames, type Platform } from '../src/core/inbound';
import type { PlatformRegistry } from '../src/platforms/registry';
import type { createIngestHandler } from './ingest';

/** How long a client may take, and how many may be connected at once (see docs/security.md). */
export interface ClientLimits {
  /** to send the request headers */
  headersTimeoutMs: number;
  /** to send the whole request, body included */
  requestTimeoutMs: number;
  /** connections above this are closed as soon as they are accepted */
  maxConnections: number;
}

const PLATFORMS = new Set<string>(platformNames);
const isPlatform = (name: string): name is Platform => PLATFORMS.has(name);

/**
 * The `web` HTTP server: webhook deliveries (POST /webhooks/<platform>) take the lean ingest
 * path; every other request goes to the Express app.
 */
export function createWebServer(
  app: Express,
  adapters: PlatformRegistry,
  ingest: ReturnType<typeof createIngestHandler>,
  limits: ClientLimits,
): http.Server {
  const options: http.ServerOptions = {
    requestTimeout: limits.requestTimeoutMs,
    headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
    // Node checks both timeouts only this often (30 s by default): check often enough that a
    // timeout of a few seconds holds.
    connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(limits.headersTimeoutMs / 2))),
  };
  const server = http.createServer(options, (req, res) => {
    if (req.method === 'POST' && req.url?.startsWith('/webhooks/')) {
      const path = req.url.slice('/webhooks/'.length).split('?', 1)[0]!.replace(/\/$/, '');
      const adapter = isPlatform(path) ? adapters.get(path) : undefined;
      if (adapter) {
        void ingest(adapter, req, res);
        return;
      }
    }
    app(req, res);
  });
  // Meta keeps connections open between deliveries; outlive a typical proxy's idle timeout. An
  // idle kept-alive connection is not subject to the headers timeout until its next request starts.
  server.keepAliveTimeout = 65_000;
  server.maxConnections = limits.maxConnections;
  return server;
}
