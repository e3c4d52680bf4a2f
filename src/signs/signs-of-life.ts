import type { RedisClient } from '../redis/connection';
import type { InboundMessage } from '../core/inbound';
import type { PlatformAdapter } from '../platforms/adapter';
import type { Logger } from '../logging';

/**
 * What the user sees while a turn runs: the message marked read as soon as a worker picks it up,
 * the typing indicator (refreshed, since WhatsApp's lasts 25 s), and for slow reasoning turns one
 * short "still thinking" note. All of it is best-effort: a failed call is logged and never fails
 * the turn. The note is sent at most once per message (claimed in Redis), so a retried turn does
 * not repeat it, and `end()` waits for it so it always arrives before the answer.
 */

/** Longest a sign of life may take; they must never hold up the answer for long. */
const CALL_TIMEOUT_MS = 5000;

export interface SignsOfLifeOptions {
  redis: RedisClient;
  noteKey: (message: string) => string;
  typingRefreshMs: number;
  noteTtlSeconds: number;
  logger: Logger;
}

export class SignsOfLife {
  constructor(private readonly options: SignsOfLifeOptions) {}

  begin(adapter: PlatformAdapter, message: InboundMessage, messageKey: string): TurnActivity {
    return new TurnActivity(adapter, message, messageKey, this.options);
  }
}

export class TurnActivity {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly timers: NodeJS.Timeout[] = [];
  private ended = false;

  constructor(
    private readonly adapter: PlatformAdapter,
    private readonly message: InboundMessage,
    private readonly messageKey: string,
    private readonly options: SignsOfLifeOptions,
  ) {}

  private get to() {
    return { channelId: this.message.channelId, userId: this.message.userId };
  }

  /**
   * The read receipt, at once; where showing typing marks the message read too (WhatsApp) it
   * waits for what the turn does next: typing carries it, or `typeOrMarkRead(false)` sends it.
   * One Graph call instead of two for most turns.
   */
  seen(): void {
    if (!this.adapter.typingMarksRead) this.markRead();
  }

  /** Typing for a turn that will take a while; otherwise the receipt `seen()` held back, if it did. */
  typeOrMarkRead(typing: boolean): void {
    if (typing && this.adapter.showTyping) this.startTyping();
    else if (this.adapter.typingMarksRead) this.markRead();
  }

  private markRead(): void {
    const { markRead } = this.adapter;
    if (markRead) this.attempt('markRead', (signal) => markRead(this.to, this.message.id, signal));
  }

  /** Shows typing now and keeps it up until end(). */
  private startTyping(): void {
    const { showTyping } = this.adapter;
    if (!showTyping) return;
    const show = () => this.attempt('showTyping', (signal) => showTyping(this.to, this.message.id, signal));
    show();
    const refresh = setInterval(show, this.options.typingRefreshMs);
    refresh.unref();
    this.timers.push(refresh);
  }

  /** Sends `text` once if the turn is still running after `afterMs`. */
  noteAfter(afterMs: number, text: string): void {
    const timer = setTimeout(() => {
      this.attempt('stillThinkingNote', async (signal) => {
        const { redis, noteKey, noteTtlSeconds } = this.options;
        const claimed = await redis.set(noteKey(this.messageKey), '1', 'EX', noteTtlSeconds, 'NX');
        if (claimed !== 'OK') return; // an earlier attempt of this turn already said it
        await this.adapter.sendText(this.to, text, signal);
      });
    }, afterMs);
    timer.unref();
    this.timers.push(timer);
  }

  /** Stops refreshing and waits (briefly) for calls already made, so they precede the answer. */
  async end(): Promise<void> {
    this.ended = true;
    for (const timer of this.timers) clearTimeout(timer);
    await Promise.allSettled([...this.inFlight]);
  }

  private attempt(what: string, call: (signal: AbortSignal) => Promise<unknown>): void {
    if (this.ended) return;
    const signal = AbortSignal.timeout(CALL_TIMEOUT_MS);
    const running: Promise<void> = call(signal)
      .then(() => undefined)
      .catch((err: unknown) => {
        this.options.logger.warn({ err, what, platform: this.message.platform }, 'sign of life failed (ignored)');
      })
      .finally(() => this.inFlight.delete(running));
    this.inFlight.add(running);
  }
}
