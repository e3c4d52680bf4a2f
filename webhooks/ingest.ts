import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../src/logging';
import type { InboundMessage } from '../src/core/inbound';
import { WebhookPayloadError, type PlatformAdapter } from '../src/platforms/adapter';
import { isValidSignature } from '../src/platforms/signature';

/**
 * The webhook POST path: read the raw body, verify the signature, parse, enqueue, answer. Written
 * on bare node:http rather than as Express middleware because it is the one hot path (Meta's
 * deliveries) and Express's per-request machinery costs more than everything else it does.
 * 200 is sent only after every message of the delivery is in Redis; 503 if that failed, so
 * Meta redelivers.
 */
export interface IngestDependencies {
  enqueue(messages: InboundMessage[]): Promise<void>;
  bodyLimitBytes: number;
  logger: Logger;
}

function answer(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      req.resume();
      resolve('too-large');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    req.on('error', reject);
  });
}

export function createIngestHandler(deps: IngestDependencies) {
  return async function ingest(adapter: PlatformAdapter, req: IncomingMessage, res: ServerResponse): Promise<void> {
    let body: Buffer | 'too-large';
    try {
      body = await readBody(req, deps.bodyLimitBytes);
    } catch {
      answer(res, 400, 'could not read body');
      return;
    }
    if (body === 'too-large') return answer(res, 413, 'payload too large');
    const signature = req.headers['x-hub-signature-256'];
    if (!isValidSignature(body, typeof signature === 'string' ? signature : undefined, adapter.appSecret)) {
      deps.logger.warn({ platform: adapter.platform }, 'webhook rejected: bad or missing signature');
      return answer(res, 401, 'invalid signature');
    }
    let messages: InboundMessage[];
    try {
      messages = adapter.parseWebhook(JSON.parse(body.toString('utf8')));
    } catch (error) {
      const reason = error instanceof WebhookPayloadError ? error.message : 'body is not JSON';
      deps.logger.warn({ platform: adapter.platform, reason }, 'webhook rejected: unparseable');
      return answer(res, 400, reason);
    }
    if (messages.length === 0) return answer(res, 200, 'EVENT_RECEIVED');
    try {
      await deps.enqueue(messages);
    } catch (error) {
      deps.logger.error({ platform: adapter.platform, err: error }, 'webhook not enqueued: Redis unavailable');
      return answer(res, 503, 'temporarily unavailable');
    }
    if (deps.logger.isLevelEnabled('debug')) {
      deps.logger.debug({ platform: adapter.platform, messageIds: messages.map((m) => m.id) }, 'webhook enqueued');
    }
    answer(res, 200, 'EVENT_RECEIVED');
  };
}
