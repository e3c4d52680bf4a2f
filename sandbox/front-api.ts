import type http from 'node:http';
import { z } from 'zod';
import { BodyReadError, bodyReadStatus, readBody } from '../src/http/read-body';
import type { SandboxEvent } from './emulator/conversation-log';
import { sandboxPlatforms, type SandboxPlatform } from './emulator/ids';
import type { MetaEmulator } from './emulator/meta-emulator';
import { declaresJson } from './page-origin';

/**
 * The chat page's JSON API under /sandbox/api/: the state snapshot, the server-sent-event stream,
 * media the page shows, and what the person in the page types, taps or uploads.
 */

const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;

/** A browser on a slow link still uploads a 25 MB voice note well within this. */
const UPLOAD_TIMEOUT_MS = 120_000;

const textBody = z.object({
  text: z.string().trim().min(1).max(20_000),
  quickReplyPayload: z.string().max(1000).optional(),
});

const postbackBody = z.object({ title: z.string().trim().min(1).max(100), payload: z.string().min(1).max(1000) });

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** The pages listening on GET /sandbox/api/events, each sent every conversation event. */
function createEventStreams(emulator: MetaEmulator) {
  const streams = new Set<http.ServerResponse>();
  const broadcast = (event: SandboxEvent) => {
    const frame = `data: ${JSON.stringify(event)}\n\n`;
    for (const res of streams) res.write(frame);
  };
  emulator.log.on('event', broadcast);
  const heartbeat = setInterval(() => {
    for (const res of streams) res.write(': keep-alive\n\n');
  }, 15_000);
  // Open pages keep the server busy, not this timer: a page server that failed to listen lets the process end.
  heartbeat.unref();
  return {
    open(req: http.IncomingMessage, res: http.ServerResponse): void {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      streams.add(res);
      req.on('close', () => streams.delete(res));
    },
    stop(): void {
      clearInterval(heartbeat);
      emulator.log.off('event', broadcast);
      for (const res of streams) res.end();
    },
  };
}

function sendMedia(res: http.ServerResponse, emulator: MetaEmulator, id: string): void {
  const media = emulator.media.get(id);
  if (!media) return sendJson(res, 404, { error: 'no such media' });
  // A file the business sent is saved under its own name, never opened as a page of this origin.
  const saveAs = media.filename
    ? { 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(media.filename)}` }
    : {};
  res.writeHead(200, {
    'content-type': media.mimeType,
    'content-length': media.bytes.length,
    'cache-control': 'private, max-age=3600',
    'x-content-type-options': 'nosniff',
    ...saveAs,
  });
  res.end(media.bytes);
}

/** The body as JSON; undefined (which no schema accepts) when it is not JSON at all. */
async function readJson(req: http.IncomingMessage, maxBytes: number): Promise<unknown> {
  const raw = (await readBody(req, { maxBytes, timeoutMs: 10_000 })).toString('utf8');
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

async function postText(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  emulator: MetaEmulator,
  platform: SandboxPlatform,
): Promise<void> {
  const parsed = textBody.safeParse(await readJson(req, 100_000));
  if (!parsed.success) return sendJson(res, 400, { error: 'text is required' });
  const item = emulator.send(platform, {
    kind: 'text',
    text: parsed.data.text,
    quickReplyPayload: parsed.data.quickReplyPayload,
  });
  return sendJson(res, 202, { id: item.id });
}

async function postPostback(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  emulator: MetaEmulator,
  platform: 'messenger' | 'instagram',
): Promise<void> {
  const parsed = postbackBody.safeParse(await readJson(req, 10_000));
  if (!parsed.success) return sendJson(res, 400, { error: 'title and payload are required' });
  const item = emulator.postback(platform, parsed.data.title, parsed.data.payload);
  return sendJson(res, 202, { id: item.id });
}

/** Reads an upload's bytes, or answers the request itself (and returns undefined) when it cannot. */
async function readUpload(req: http.IncomingMessage, res: http.ServerResponse): Promise<Buffer | undefined> {
  try {
    return await readBody(req, { maxBytes: MAX_UPLOAD_BYTES, timeoutMs: UPLOAD_TIMEOUT_MS });
  } catch (error) {
    if (error instanceof BodyReadError && error.reason !== 'too-large') {
      sendJson(res, bodyReadStatus[error.reason], { error: `upload ${error.reason}` });
      return undefined;
    }
    sendJson(res, 413, { error: 'larger than 25 MB' });
    return undefined;
  }
}

async function postMedia(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  emulator: MetaEmulator,
  platform: SandboxPlatform,
): Promise<void> {
  const kind = url.searchParams.get('kind');
  if (kind !== 'image' && kind !== 'audio') return sendJson(res, 400, { error: 'kind must be image or audio' });
  const mimeType = (req.headers['content-type'] ?? '').trim();
  if (!mimeType.startsWith(`${kind}/`)) return sendJson(res, 415, { error: `expected a ${kind}/* content type` });
  const bytes = await readUpload(req, res);
  if (!bytes) return;
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

/** `info` adds fields to GET /sandbox/api/state (the model source, Redis, ...). */
export function createSandboxApi(emulator: MetaEmulator, info: () => Record<string, unknown>) {
  const events = createEventStreams(emulator);

  async function api(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const route = url.pathname.slice('/sandbox/api/'.length).split('/');
    if (req.method === 'GET' && route[0] === 'state')
      return sendJson(res, 200, { ...info(), ...emulator.log.snapshot() });
    if (req.method === 'GET' && route[0] === 'events') return events.open(req, res);
    if (req.method === 'GET' && route[0] === 'media' && route[1]) return sendMedia(res, emulator, route[1]);
    const platform = route[0] as SandboxPlatform;
    // Text and taps are JSON: a form another site posts (text/plain, urlencoded) never gets this far.
    if (req.method === 'POST' && (route[1] === 'text' || route[1] === 'postback') && !declaresJson(req))
      return sendJson(res, 415, { error: 'expected Content-Type: application/json' });
    if (req.method === 'POST' && sandboxPlatforms.includes(platform) && route[1] === 'text')
      return postText(req, res, emulator, platform);
    if (req.method === 'POST' && (platform === 'messenger' || platform === 'instagram') && route[1] === 'postback')
      return postPostback(req, res, emulator, platform);
    if (req.method === 'POST' && sandboxPlatforms.includes(platform) && route[1] === 'media')
      return postMedia(req, res, url, emulator, platform);
    return sendJson(res, 404, { error: 'no such sandbox route' });
  }

  return { api, stop: () => events.stop() };
}
