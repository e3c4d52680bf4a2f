import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { BodyReadError, bodyReadStatus, readBody } from '../src/http/read-body';
import { DEMO_IMAGES_DIR, DEMO_IMAGES_PATH } from './catalog/demo-shop';
import type { SandboxEvent } from './emulator/conversation-log';
import { sandboxPlatforms, type SandboxPlatform } from './emulator/ids';
import type { MetaEmulator } from './emulator/meta-emulator';

/**
 * The server on PORT: the chat page at /sandbox (static files, a small JSON API and a
 * server-sent-event stream), and a plain reverse proxy to Threadline's web process for every other
 * path (/webhooks/*, /healthz, /readyz), so PORT still behaves like the product's web port.
 */

export interface FrontServerOptions {
  port: number;
  /** the interface to listen on (SANDBOX_HOST): 127.0.0.1 unless the operator says otherwise */
  host: string;
  emulator: MetaEmulator;
  /** Threadline's web process, e.g. http://127.0.0.1:41000 */
  webUrl: string;
  /** extra fields for GET /sandbox/api/state (the model source, Redis, ...) */
  info(): Record<string, unknown>;
}

const PUBLIC_DIR = path.join(__dirname, 'public');
const ASSETS: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'sandbox.css': 'text/css; charset=utf-8',
  'sandbox.js': 'text/javascript; charset=utf-8',
  'cards.js': 'text/javascript; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};
const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

const textBody = z.object({
  text: z.string().trim().min(1).max(20_000),
  quickReplyPayload: z.string().max(1000).optional(),
});

const postbackBody = z.object({ title: z.string().trim().min(1).max(100), payload: z.string().min(1).max(1000) });
/** The demo shop's generated pictures: plain names only, so no path leaves the folder. */
const DEMO_IMAGE_NAME = /^[a-z0-9-]+\.svg$/;

/** A browser on a slow link still uploads a 25 MB voice note well within this. */
const UPLOAD_TIMEOUT_MS = 120_000;

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** How a browser on this machine reaches a server bound to `host`. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

export interface FrontServer {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startFrontServer(options: FrontServerOptions): Promise<FrontServer> {
  const { emulator } = options;
  const streams = new Set<http.ServerResponse>();
  const broadcast = (event: SandboxEvent) => {
    const frame = `data: ${JSON.stringify(event)}\n\n`;
    for (const res of streams) res.write(frame);
  };
  emulator.log.on('event', broadcast);
  const heartbeat = setInterval(() => {
    for (const res of streams) res.write(': keep-alive\n\n');
  }, 15_000);

  async function api(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const route = url.pathname.slice('/sandbox/api/'.length).split('/');
    if (req.method === 'GET' && route[0] === 'state') {
      return sendJson(res, 200, { ...options.info(), ...emulator.log.snapshot() });
    }
    if (req.method === 'GET' && route[0] === 'events') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
      return;
    }
    if (req.method === 'GET' && route[0] === 'media' && route[1]) {
      const media = emulator.media.get(route[1]);
      if (!media) return sendJson(res, 404, { error: 'no such media' });
      res.writeHead(200, {
        'content-type': media.mimeType,
        'content-length': media.bytes.length,
        'cache-control': 'private, max-age=3600',
      });
      res.end(media.bytes);
      return;
    }
    const platform = route[0] as SandboxPlatform;
    if (req.method === 'POST' && sandboxPlatforms.includes(platform) && route[1] === 'text') {
      const parsed = textBody.safeParse(
        JSON.parse((await readBody(req, { maxBytes: 100_000, timeoutMs: 10_000 })).toString('utf8') || '{}'),
      );
      if (!parsed.success) return sendJson(res, 400, { error: 'text is required' });
      const item = emulator.send(platform, {
        kind: 'text',
        text: parsed.data.text,
        quickReplyPayload: parsed.data.quickReplyPayload,
      });
      return sendJson(res, 202, { id: item.id });
    }
    if (req.method === 'POST' && (platform === 'messenger' || platform === 'instagram') && route[1] === 'postback') {
      const raw = (await readBody(req, { maxBytes: 10_000, timeoutMs: 10_000 })).toString('utf8');
      const parsed = postbackBody.safeParse(JSON.parse(raw || '{}'));
      if (!parsed.success) return sendJson(res, 400, { error: 'title and payload are required' });
      const item = emulator.postback(platform, parsed.data.title, parsed.data.payload);
      return sendJson(res, 202, { id: item.id });
    }
    if (req.method === 'POST' && sandboxPlatforms.includes(platform) && route[1] === 'media') {
      const kind = url.searchParams.get('kind');
      if (kind !== 'image' && kind !== 'audio') return sendJson(res, 400, { error: 'kind must be image or audio' });
      const mimeType = (req.headers['content-type'] ?? '').trim();
      if (!mimeType.startsWith(`${kind}/`)) return sendJson(res, 415, { error: `expected a ${kind}/* content type` });
      let bytes: Buffer;
      try {
        bytes = await readBody(req, { maxBytes: MAX_UPLOAD_BYTES, timeoutMs: UPLOAD_TIMEOUT_MS });
      } catch (error) {
        if (error instanceof BodyReadError && error.reason !== 'too-large') {
          return sendJson(res, bodyReadStatus[error.reason], { error: `upload ${error.reason}` });
        }
        return sendJson(res, 413, { error: 'larger than 25 MB' });
      }
      if (bytes.length === 0) return sendJson(res, 400, { error: 'empty file' });
      const caption = url.searchParams.get('caption')?.trim() || undefined;
      const item = emulator.send(platform, {
        kind,
        bytes,
        mimeType,
        caption,
        voice: url.searchParams.get('voice') === '1',
      });
      return sendJson(res, 202, { id: item.id, mediaId: item.mediaId });
    }
    return sendJson(res, 404, { error: 'no such sandbox route' });
  }

  async function asset(res: http.ServerResponse, name: string): Promise<void> {
    const type = ASSETS[name];
    if (!type) return sendJson(res, 404, { error: 'not found' });
    const data = await readFile(path.join(PUBLIC_DIR, name));
    res.writeHead(200, { 'content-type': type, 'cache-control': 'no-cache' });
    res.end(data);
  }

  async function demoImage(res: http.ServerResponse, name: string): Promise<void> {
    if (!DEMO_IMAGE_NAME.test(name)) return sendJson(res, 404, { error: 'not found' });
    const data = await readFile(path.join(DEMO_IMAGES_DIR, name)).catch(() => undefined);
    if (!data) return sendJson(res, 404, { error: 'not found' });
    res.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=3600' });
    res.end(data);
  }

  function proxy(req: http.IncomingMessage, res: http.ServerResponse): void {
    const target = new URL(req.url ?? '/', options.webUrl);
    const upstream = http.request(target, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      if (!res.headersSent) sendJson(res, 502, { error: 'Threadline web process is not answering (yet)' });
      else res.destroy();
    });
    req.pipe(upstream);
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const handle = async () => {
      if (url.pathname === '/' || url.pathname === '/sandbox') {
        res.writeHead(302, { location: '/sandbox/' });
        res.end();
        return;
      }
      if (url.pathname === '/sandbox/') return asset(res, 'index.html');
      if (url.pathname.startsWith('/sandbox/assets/')) return asset(res, url.pathname.slice('/sandbox/assets/'.length));
      if (url.pathname.startsWith('/sandbox/api/')) return api(req, res, url);
      if (url.pathname.startsWith(`${DEMO_IMAGES_PATH}/`))
        return demoImage(res, url.pathname.slice(DEMO_IMAGES_PATH.length + 1));
      return proxy(req, res);
    };
    handle().catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: error instanceof Error ? error.message : 'failed' });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${urlHost(options.host)}:${port}`,
    port,
    async stop() {
      clearInterval(heartbeat);
      emulator.log.off('event', broadcast);
      for (const res of streams) res.end();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
