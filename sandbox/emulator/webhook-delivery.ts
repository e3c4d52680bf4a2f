import { signBody } from '../../src/platforms/signature';
import type { SandboxPlatform } from './ids';
import { deliveryBody, type WebhookEvent } from './payloads';

/**
 * Delivers webhooks the way Meta does: events of one platform that occur close together are
 * aggregated into one POST, the body is JSON with every non-ASCII character escaped as \uXXXX
 * (lowercase hex), signed with HMAC-SHA256 of those exact bytes in `X-Hub-Signature-256`, and a
 * delivery that does not get a 200 is retried with growing pauses.
 */

export interface DeliveryResult {
  platform: SandboxPlatform;
  status: number | 'network-error';
  attempt: number;
  events: number;
  bytes: number;
  /** ids of the user messages this POST carried */
  messageIds: string[];
}

export interface WebhookDeliveryOptions {
  /** where Threadline's web process listens, e.g. http://127.0.0.1:3001 */
  webhookBaseUrl(): string;
  secretFor(platform: SandboxPlatform): string;
  /** how long events wait for companions before a POST goes out */
  batchWindowMs?: number;
  /** pauses before each retry; Meta retries "immediately, then … with decreasing frequency" */
  retryDelaysMs?: number[];
  onResult?(result: DeliveryResult): void;
}

/** JSON exactly as Meta sends it: non-ASCII escaped, so the signed bytes are pure ASCII. */
export function metaJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export class WebhookDelivery {
  private readonly pending = new Map<SandboxPlatform, WebhookEvent[]>();
  private readonly timers = new Map<SandboxPlatform, NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly options: WebhookDeliveryOptions) {}

  /** Queues one event; it goes out with whatever else arrives within the batch window. */
  enqueue(event: WebhookEvent): void {
    if (this.closed) return;
    const list = this.pending.get(event.platform) ?? [];
    list.push(event);
    this.pending.set(event.platform, list);
    if (!this.timers.has(event.platform)) {
      const timer = setTimeout(() => this.flush(event.platform), this.options.batchWindowMs ?? 15);
      this.timers.set(event.platform, timer);
    }
  }

  /** POSTs `body` once, signed (or with `signature` as given), and returns the HTTP status. */
  async post(
    platform: SandboxPlatform,
    raw: string,
    signature: string | null = signBody(raw, this.options.secretFor(platform)),
  ): Promise<number> {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'facebookexternalua' };
    if (signature !== null) headers['x-hub-signature-256'] = signature;
    const response = await fetch(`${this.options.webhookBaseUrl()}/webhooks/${platform}`, {
      method: 'POST',
      headers,
      body: raw,
    });
    await response.arrayBuffer();
    return response.status;
  }

  /** Resolves when nothing is waiting or in flight (tests and shutdown). */
  async drain(): Promise<void> {
    while (this.timers.size > 0 || this.inFlight.size > 0) {
      for (const platform of [...this.timers.keys()]) this.flush(platform);
      await Promise.all([...this.inFlight]);
    }
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.pending.clear();
  }

  private flush(platform: SandboxPlatform): void {
    const timer = this.timers.get(platform);
    if (timer) clearTimeout(timer);
    this.timers.delete(platform);
    const events = this.pending.get(platform) ?? [];
    this.pending.delete(platform);
    if (events.length === 0) return;
    const raw = metaJson(deliveryBody(platform, events, Date.now()));
    const messageIds = events.flatMap((e) => (e.messageId ? [e.messageId] : []));
    const job = this.deliverWithRetries(platform, raw, events.length, messageIds).finally(() =>
      this.inFlight.delete(job),
    );
    this.inFlight.add(job);
  }

  private async deliverWithRetries(
    platform: SandboxPlatform,
    raw: string,
    events: number,
    messageIds: string[],
  ): Promise<void> {
    const delays = this.options.retryDelaysMs ?? [0, 1000, 2000, 4000, 8000, 16000];
    for (let attempt = 1; attempt <= delays.length; attempt += 1) {
      const wait = delays[attempt - 1] ?? 0;
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (this.closed) return;
      let status: number | 'network-error';
      try {
        status = await this.post(platform, raw);
      } catch {
        status = 'network-error';
      }
      this.options.onResult?.({ platform, status, attempt, events, bytes: Buffer.byteLength(raw), messageIds });
      if (status === 200) return;
    }
  }
}
