import type http from 'node:http';

/**
 * Who may use the sandbox page and its API. The API injects signed messages as any user and
 * spends the operator's model key, and the page shows every conversation, so two kinds of web
 * page the developer happens to visit must get nowhere:
 * - a page on another site posting a form (or a `fetch` without CORS) to /sandbox/api: its
 *   `Origin` is foreign, and a form cannot send `Content-Type: application/json`;
 * - a DNS-rebinding page, whose own name now points at 127.0.0.1: the browser thinks it is
 *   same-origin and sends no `Origin` on reads, but its `Host` header still carries its name.
 * So every /sandbox route wants a Host this server is known by (loopback, or SANDBOX_HOST), and
 * any Origin sent must be one of those hosts on this port.
 */

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

/** The `host:port` values a browser on this machine (or one reaching SANDBOX_HOST) sends. */
export function pageHosts(listenHost: string, port: number): Set<string> {
  const names = ['127.0.0.1', 'localhost', '[::1]'];
  const own = listenHost.trim().toLowerCase();
  if (!WILDCARDS.has(own)) names.push(own.includes(':') && !own.startsWith('[') ? `[${own}]` : own);
  const withPort = names.map((name) => `${name}:${port}`);
  // A browser leaves the default port out of Host and Origin.
  return new Set(port === 80 ? [...withPort, ...names] : withPort);
}

/** Why the request is refused, or undefined when it comes from the page itself. */
export function foreignRequest(req: http.IncomingMessage, hosts: ReadonlySet<string>): string | undefined {
  const host = (req.headers.host ?? '').trim().toLowerCase();
  if (!hosts.has(host)) return 'unknown Host: open the page at http://127.0.0.1:<PORT>/sandbox (or SANDBOX_HOST)';
  const origin = req.headers.origin;
  if (origin === undefined) return undefined;
  let originHost: string;
  try {
    const url = new URL(origin);
    if (url.protocol !== 'http:') return 'foreign Origin';
    originHost = url.host.toLowerCase();
  } catch {
    // `Origin: null` (a sandboxed frame, a file:// page) and anything unparseable
    return 'foreign Origin';
  }
  return hosts.has(originHost) ? undefined : 'foreign Origin';
}

/** True when the request body is declared as JSON (a cross-site form cannot declare that). */
export function declaresJson(req: http.IncomingMessage): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return type === 'application/json';
}
