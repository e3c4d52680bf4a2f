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

function answer(res: ServerResponse, status: number, body: string, close = false): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...(close ? { connection: 'close' } : {}),
  });
  res.end(body);
}

/**
 * Counts and times each delivery once its answer, whichever it is, has been sent. The labelled
 * children are looked up once per platform and status and kept: prom-client hashes the label
 * set on every `inc({...})`, which on this path cost more than the counting itself.
 */
function deliveryCounter(metrics: IngestDependencies['metrics']) {
  const counted = new Map<string, { inc(): void }>();
  const timed = new Map<string, { observe(value: number): void }>();
  const countOf = (platform: string, status: number) => {
    const key = `${platform} ${status}`;
    let child = counted.get(key);
    if (!child) counted.set(key, (child = metrics.webhookDeliveries.labels({ platform, status: String(status) })));
    return child;
  };
  const timerOf = (platform: string) => {
    let child = timed.get(platform);
    if (!child) timed.set(platform, (child = metrics.ingestDuration.labels({ platform })));
    return child;
  };
  return function countWhenAnswered(res: ServerResponse, platform: string): void {
    const startedAt = performance.now();
    res.once('finish', () => {
      countOf(platform, res.statusCode).inc();
      timerOf(platform).observe(secondsSince(startedAt));
    });
  };
}

export function createIngestHandler(deps: IngestDependencies) {
  const badSignature = new ThrottledWarning(
    deps.logger,
    'webhook rejected: bad or missing signature',
    deps.refusalLogIntervalMs,
  );
  const badBody = new ThrottledWarning(deps.logger, 'webhook rejected: body not received', deps.refusalLogIntervalMs);
  const countWhenAnswered = deliveryCounter(deps.metrics);

  return async function ingest(adapter: PlatformAdapter, req: IncomingMessage, res: ServerResponse): Promise<void> {
    countWhenAnswered(res, adapter.platform);
    const header = req.headers['x-hub-signature-256'];
    const claimed = signatureDigest(typeof header === 'string' ? header : undefined);
    if (!claimed) {
      badSignature.warn({ platform: adapter.platform, reason: header === undefined ? 'missing' : 'malformed' });
      return answer(res, 401, 'invalid signature', true);
    }
    let body: Buffer;
    try {
      body = await readBody(req, deps.body);
    } catch (error) {
      const reason = error instanceof BodyReadError ? error.reason : 'aborted';
      badBody.warn({ platform: adapter.platform, reason });
      return answer(res, bodyReadStatus[reason], `body ${reason}`, true);
    }
    if (!matchesDigest(body, claimed, adapter.appSecret)) {
      badSignature.warn({ platform: adapter.platform, reason: 'mismatch' });
      return answer(res, 401, 'invalid signature', true);
    }
    let messages: InboundMessage[];
    try {
      messages = adapter.parseWebhook(JSON.parse(body.toString('utf8')), (skipped: SkippedElement) =>
        deps.logger.warn({ platform: adapter.platform, ...skipped }, 'webhook element skipped'),
      );
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
