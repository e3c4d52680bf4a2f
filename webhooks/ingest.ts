import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../src/logging';
import { secondsSince, type Metrics } from '../src/metrics/metrics';
import type { InboundMessage } from '../src/core/inbound';
import { BodyReadError, bodyReadStatus, readBody, type BodyLimits } from '../src/http/read-body';
import { WebhookPayloadError, type PlatformAdapter, type SkippedElement } from '../src/platforms/adapter';
import { matchesDigest, signatureDigest } from '../src/platforms/signature';
import { ThrottledWarning } from './throttled-warning';

/**
 * The webhook POST path: check the signature header, read the raw body, verify the signature,
 * parse, enqueue, answer. Written on bare node:http rather than as Express middleware because it
 * is the one hot path (Meta's deliveries) and Express's per-request machinery costs more than
 * everything else it does. 200 is sent only after every message of the delivery is in Redis; 503
 * if that failed, so Meta redelivers.
 *
 * Anyone can POST here, so nothing is buffered for a request that cannot be genuine: a missing or
 * malformed signature header is refused before the body is read, and every refusal closes the
 * connection (the rest of the upload is never read). Warnings a stranger can trigger are
 * throttled (see ThrottledWarning).
 */
export interface IngestDependencies {
  enqueue(messages: InboundMessage[]): Promise<void>;
  body: BodyLimits;
  /** at most one line per this many ms for each kind of refusal anyone can provoke */
  refusalLogIntervalMs: number;
  logger: Logger;
  /** each delivery's answer by platform and status, and its duration */
  metrics: Pick<Metrics, 'webhookDeliveries' | 'ingestDuration'>;
}

const TEXT = 'text/plain; charset=utf-8';
// The answer to nearly every delivery, its headers made once.
const RECEIVED = 'EVENT_RECEIVED';
const RECEIVED_HEADERS = { 'content-type': TEXT, 'content-length': RECEIVED.length };

function answer(res: ServerResponse, status: number, body: string, close: boolean): void {
  if (status === 200 && body === RECEIVED && !close) res.writeHead(200, RECEIVED_HEADERS);
  else {
    const length = Buffer.byteLength(body);
    res.writeHead(
      status,
      close
        ? { 'content-type': TEXT, 'content-length': length, connection: 'close' }
        : { 'content-type': TEXT, 'content-length': length },
    );
  }
  res.end(body);
}

/**
 * Sends a delivery's answer, whichever it is, and counts and times it there (no listener per
 * request). The labelled children are looked up once per platform and status and kept:
 * prom-client hashes the label set on every `inc({...})`, which on this path cost more than the
 * counting itself.
 */
function answering(metrics: IngestDependencies['metrics']) {
  const counted = new Map<string, Map<number, { inc(): void }>>();
  const timed = new Map<string, { observe(value: number): void }>();
  const countOf = (platform: string, status: number) => {
    let byStatus = counted.get(platform);
    if (!byStatus) counted.set(platform, (byStatus = new Map<number, { inc(): void }>()));
    let child = byStatus.get(status);
    if (!child) byStatus.set(status, (child = metrics.webhookDeliveries.labels({ platform, status: String(status) })));
    return child;
  };
  const timerOf = (platform: string) => {
    let child = timed.get(platform);
    if (!child) timed.set(platform, (child = metrics.ingestDuration.labels({ platform })));
    return child;
  };
  return function reply(
    res: ServerResponse,
    platform: string,
    startedAt: number,
    status: number,
    body: string,
    close = false,
  ): void {
    answer(res, status, body, close);
    countOf(platform, status).inc();
    timerOf(platform).observe(secondsSince(startedAt));
  };
}

export function createIngestHandler(deps: IngestDependencies) {
  const badSignature = new ThrottledWarning(
    deps.logger,
    'webhook rejected: bad or missing signature',
    deps.refusalLogIntervalMs,
  );
  const badBody = new ThrottledWarning(deps.logger, 'webhook rejected: body not received', deps.refusalLogIntervalMs);
  const reply = answering(deps.metrics);

  return async function ingest(adapter: PlatformAdapter, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = performance.now();
    const { platform } = adapter;
    const header = req.headers['x-hub-signature-256'];
    const claimed = signatureDigest(typeof header === 'string' ? header : undefined);
    if (!claimed) {
      badSignature.warn({ platform, reason: header === undefined ? 'missing' : 'malformed' });
      return reply(res, platform, startedAt, 401, 'invalid signature', true);
    }
    let body: Buffer;
    try {
      body = await readBody(req, deps.body);
    } catch (error) {
      const reason = error instanceof BodyReadError ? error.reason : 'aborted';
      badBody.warn({ platform, reason });
      return reply(res, platform, startedAt, bodyReadStatus[reason], `body ${reason}`, true);
    }
    if (!matchesDigest(body, claimed, adapter.appSecret)) {
      badSignature.warn({ platform, reason: 'mismatch' });
      return reply(res, platform, startedAt, 401, 'invalid signature', true);
    }
    let messages: InboundMessage[];
    try {
      messages = adapter.parseWebhook(JSON.parse(body.toString('utf8')), (skipped: SkippedElement) =>
        deps.logger.warn({ platform, ...skipped }, 'webhook element skipped'),
      );
    } catch (error) {
      const reason = error instanceof WebhookPayloadError ? error.message : 'body is not JSON';
      deps.logger.warn({ platform, reason }, 'webhook rejected: unparseable');
      return reply(res, platform, startedAt, 400, reason);
    }
    if (messages.length === 0) return reply(res, platform, startedAt, 200, RECEIVED);
    try {
      await deps.enqueue(messages);
    } catch (error) {
      deps.logger.error({ platform, err: error }, 'webhook not enqueued: Redis unavailable');
      return reply(res, platform, startedAt, 503, 'temporarily unavailable');
    }
    if (deps.logger.isLevelEnabled('debug')) {
      deps.logger.debug({ platform, messageIds: messages.map((m) => m.id) }, 'webhook enqueued');
    }
    reply(res, platform, startedAt, 200, RECEIVED);
  };
}
