import { Agent, request } from 'undici';
import { graphErrorEnvelope } from './graph-responses';
import { isGraphPathSegment } from './platform-ids';

/**
 * The HTTP client every platform uses to reach Meta's Graph API (graph.facebook.com or
 * graph.instagram.com, or a loopback stand-in in tests). It knows Graph's error envelope and
 * turns every failure into one of two error types the sender can classify.
 */

/** Graph answered with an error envelope or a non-2xx status. */
export class GraphApiError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: number | undefined,
    readonly subcode: number | undefined,
    message: string,
    readonly retryAfterSeconds: number | undefined,
    readonly fbtraceId: string | undefined,
  ) {
    super(message);
    this.name = 'GraphApiError';
  }
}

/** No usable answer: connection refused or reset, timeout, DNS. */
export class GraphNetworkError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GraphNetworkError';
  }
}

/** A call refused before it was made: its path would not name what the caller meant. */
export class GraphPathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GraphPathError';
  }
}

/**
 * An id as one Graph path segment. `encodeURIComponent` leaves `.` and `..` alone, and URL
 * resolution would then move the path (`/v25.0/..` is `/`), taking the bearer token with it.
 */
export function pathSegment(id: string): string {
  if (!isGraphPathSegment(id)) throw new GraphPathError('id not usable as a Graph path segment');
  return encodeURIComponent(id);
}

/** `.`, `..` and their percent-encoded spellings, which URL resolution treats alike. */
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

export interface GraphClientOptions {
  baseUrl: string;
  version: string;
  accessToken: string;
  timeoutMs: number;
}

export interface GraphClient {
  post(path: string, body: unknown, signal?: AbortSignal): Promise<unknown>;
  /** A multipart/form-data POST (file uploads); the body is sent as the form says. */
  postForm(path: string, form: FormData, signal?: AbortSignal): Promise<unknown>;
  get(path: string, signal?: AbortSignal): Promise<unknown>;
}

// Keep-alive: a busy worker makes many calls to the same host. Hundreds of turns in flight each
// mark read, show typing and send, so the pool is sized for them rather than for a sender alone:
// a small pool would queue every call behind it and add its wait to each answer. undici rather
// than axios here: these calls are most of a worker's HTTP, and undici spends a fraction of the
// CPU per call (no config merging, interceptors or adapters on the way).
const GRAPH_CONNECTIONS = 512;
const dispatcher = new Agent({ connections: GRAPH_CONNECTIONS, keepAliveTimeout: 30_000 });

function parseRetryAfter(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

/** Second net behind pathSegment(): whatever a caller built, a dot segment never leaves here. */
function refuseDotSegments(method: string, path: string): void {
  const segments = path.split(/[?#]/, 1)[0]!.split('/');
  if (segments.some((segment) => DOT_SEGMENT.test(segment))) {
    throw new GraphPathError(`Graph ${method} refused: the path has a dot segment`);
  }
}

/** A JSON body as Graph sent it; anything else (an HTML error page, nothing) as undefined. */
function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

type Body = { json: unknown } | { form: FormData } | undefined;

/** The body's bytes and type; a form is encoded as multipart by the platform's own Response. */
async function encodeBody(body: Body): Promise<{ data?: string | Buffer; type?: string }> {
  if (body === undefined) return {};
  if ('json' in body) return { data: JSON.stringify(body.json), type: 'application/json' };
  const encoded = new Response(body.form);
  return { data: Buffer.from(await encoded.arrayBuffer()), type: encoded.headers.get('content-type') ?? undefined };
}

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const base = `${options.baseUrl}/${options.version}`;
  // The token travels in a header, never in the URL, so it cannot leak into access logs.
  const authorization = `Bearer ${options.accessToken}`;

  async function send(method: 'GET' | 'POST', path: string, body: Body, signal?: AbortSignal) {
    const { data, type } = await encodeBody(body);
    const headers: Record<string, string> = type ? { authorization, 'content-type': type } : { authorization };
    try {
      const response = await request(`${base}${path}`, {
        method,
        headers,
        body: data,
        signal,
        // undici's own deadlines rather than a timer signal per call (a busy worker makes many):
        // the answer's headers and then each gap in its body must come within the timeout.
        headersTimeout: options.timeoutMs,
        bodyTimeout: options.timeoutMs,
        dispatcher,
      });
      return { status: response.statusCode, headers: response.headers, data: parseJson(await response.body.text()) };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new GraphNetworkError(`Graph ${method} ${path} failed: ${reason}`, { cause: error });
    }
  }

  async function call(method: 'GET' | 'POST', path: string, body: Body, signal?: AbortSignal) {
    refuseDotSegments(method, path);
    const response = await send(method, path, body, signal);
    const envelope = graphErrorEnvelope.safeParse(response.data);
    if (response.status >= 200 && response.status < 300 && !envelope.success) return response.data;
    const detail = envelope.success ? envelope.data.error : undefined;
    throw new GraphApiError(
      response.status,
      detail?.code,
      detail?.error_subcode,
      detail?.message ?? `HTTP ${response.status}`,
      parseRetryAfter(response.headers['retry-after']),
      detail?.fbtrace_id,
    );
  }

  return {
    post: (path, body, signal) => call('POST', path, { json: body }, signal),
    postForm: (path, form, signal) => call('POST', path, { form }, signal),
    get: (path, signal) => call('GET', path, undefined, signal),
  };
}
