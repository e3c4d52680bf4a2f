import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { DEMO_IMAGES_DIR, DEMO_IMAGES_PATH, DEMO_SHOP_PATH } from './catalog/demo-shop';
import { demoProductFor, productPageHtml } from './catalog/product-page';
import type { MetaEmulator } from './emulator/meta-emulator';
import { createSandboxApi, sendJson } from './front-api';
import { foreignRequest, pageHosts } from './page-origin';
import { AGENT_API_PATH, HELPDESK_INBOX_PATH, type SandboxHelpdesk } from './helpdesk';

/**
 * The server on PORT: the chat page at /sandbox (static files, and a small JSON API with a
 * server-sent-event stream in front-api.ts), and a plain reverse proxy to Threadline's web process for every other
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
  /** the helpdesk the agent pane plays (helpdesk.ts); absent: no agent pane API */
  helpdesk?: SandboxHelpdesk;
}

const PUBLIC_DIR = path.join(__dirname, 'public');
/** The page's files by kind: any plain name in public/ with one of these endings is served. */
const ASSET_TYPES = new Map([
  ['html', 'text/html; charset=utf-8'],
  ['css', 'text/css; charset=utf-8'],
  ['js', 'text/javascript; charset=utf-8'],
  ['svg', 'image/svg+xml'],
]);
const ASSET_NAME = /^[a-z0-9-]+\.([a-z]+)$/;

/** The demo shop's generated pictures: plain names only, so no path leaves the folder. */
const DEMO_IMAGE_NAME = /^[a-z0-9-]+\.svg$/;

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

async function asset(res: http.ServerResponse, name: string): Promise<void> {
  const type = ASSET_TYPES.get(ASSET_NAME.exec(name)?.[1] ?? '');
  if (!type) return sendJson(res, 404, { error: 'not found' });
  const data = await readFile(path.join(PUBLIC_DIR, name)).catch(() => undefined);
  if (!data) return sendJson(res, 404, { error: 'not found' });
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

function proxy(req: http.IncomingMessage, res: http.ServerResponse, webUrl: string): void {
  const target = new URL(req.url ?? '/', webUrl);
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

/** A demo product's own page, where a card's "View" leads (catalog/product-page.ts). */
function demoProductPage(res: http.ServerResponse, pathname: string): void {
  const row = demoProductFor(pathname.slice(`${DEMO_SHOP_PATH}/p/`.length));
  if (!row) return sendJson(res, 404, { error: 'no such demo product' });
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
  res.end(productPageHtml(row));
}

type SandboxApi = ReturnType<typeof createSandboxApi>['api'];

interface Routing {
  api: SandboxApi;
  helpdesk?: SandboxHelpdesk;
  webUrl: string;
  /** the Host values the page is served under (page-origin.ts) */
  hosts: ReadonlySet<string>;
}

/** Sends one request to the page, its assets, the API, the demo shop's pictures or the web process. */
async function route(req: http.IncomingMessage, res: http.ServerResponse, url: URL, routing: Routing) {
  const { api, webUrl, hosts, helpdesk } = routing;
  // Threadline's handoff posts: signed, checked by the desk itself.
  if (helpdesk && url.pathname === HELPDESK_INBOX_PATH) return helpdesk.receive(req, res);
  if (url.pathname === '/') {
    res.writeHead(302, { location: '/sandbox/' });
    res.end();
    return;
  }
  // Everything under /sandbox is the page's own; other paths are the product's, which checks its own callers.
  if (url.pathname === '/sandbox' || url.pathname.startsWith('/sandbox/')) {
    const refused = foreignRequest(req, hosts);
    if (refused) return sendJson(res, 403, { error: refused });
  }
  if (url.pathname === '/sandbox') {
    res.writeHead(302, { location: '/sandbox/' });
    res.end();
    return;
  }
  if (url.pathname === '/sandbox/') return asset(res, 'index.html');
  if (url.pathname.startsWith('/sandbox/assets/')) return asset(res, url.pathname.slice('/sandbox/assets/'.length));
  if (helpdesk && url.pathname.startsWith(AGENT_API_PATH)) return helpdesk.api(req, res, url);
  if (url.pathname.startsWith('/sandbox/api/')) return api(req, res, url);
  if (url.pathname.startsWith(`${DEMO_IMAGES_PATH}/`))
    return demoImage(res, url.pathname.slice(DEMO_IMAGES_PATH.length + 1));
  if (url.pathname.startsWith(`${DEMO_SHOP_PATH}/p/`)) return demoProductPage(res, url.pathname);
  return proxy(req, res, webUrl);
}

export async function startFrontServer(options: FrontServerOptions): Promise<FrontServer> {
  const sandboxApi = createSandboxApi(options.emulator, () => options.info());
  const routing: Routing = {
    api: sandboxApi.api,
    webUrl: options.webUrl,
    hosts: new Set<string>(),
    helpdesk: options.helpdesk,
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    route(req, res, url, routing).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: error instanceof Error ? error.message : 'failed' });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  routing.hosts = pageHosts(options.host, port);
  return {
    url: `http://${urlHost(options.host)}:${port}`,
    port,
    async stop() {
      sandboxApi.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
