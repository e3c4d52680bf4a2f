import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance } from 'axios';
import { z } from 'zod';
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

const graphErrorEnvelope = z.object({
  error: z.looseObject({
    message: z.string().optional(),
    code: z.coerce.number().optional(),
    error_subcode: z.coerce.number().optional(),
    fbtrace_id: z.string().optional(),
  }),
});

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

// Keep-alive: a busy sender makes many calls to the same host.
const httpAgent = new http.Agent({ keepAlive: true, maxSockets: 64 });
const httpsAgent = new https.Agent({ keepAlive: true, maxSockets: 64 });

function parseRetryAfter(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const http: AxiosInstance = axios.create({
    baseURL: `${options.baseUrl}/${options.version}`,
    timeout: options.timeoutMs,
    httpAgent,
    httpsAgent,
    // The token travels in a header, never in the URL, so it cannot leak into access logs.
    headers: { Authorization: `Bearer ${options.accessToken}` },
    validateStatus: () => true,
    maxRedirects: 0,
  });

  async function request(method: 'GET' | 'POST', path: string, body: unknown, signal?: AbortSignal) {
    // Second net behind pathSegment(): whatever a caller built, a dot segment never leaves here.
    if (
      path
        .split(/[?#]/, 1)[0]!
        .split('/')
        .some((segment) => DOT_SEGMENT.test(segment))
    ) {
      throw new GraphPathError(`Graph ${method} refused: the path has a dot segment`);
    }
    let response;
    try {
      response = await http.request({ method, url: path, data: body, signal });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new GraphNetworkError(`Graph ${method} ${path} failed: ${reason}`, { cause: error });
    }
    const envelope = graphErrorEnvelope.safeParse(response.data);
    if (response.status >= 200 && response.status < 300 && !envelope.success) return response.data as unknown;
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
    post: (path, body, signal) => request('POST', path, body, signal),
    postForm: (path, form, signal) => request('POST', path, form, signal),
    get: (path, signal) => request('GET', path, undefined, signal),
  };
}
