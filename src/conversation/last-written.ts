import type { RedisClient } from '../redis/connection';

/**
 * When the person last wrote in a conversation (the platform's timestamp of their message), kept
 * for Meta's 24-hour customer service window and no longer: a business may send free-form
 * messages only within 24 hours of the person's last message (WhatsApp, Messenger and Instagram
 * alike), so a reminder due later needs a template or cannot go at all. The key expires when the
 * window closes; a late redelivery of an older message never moves the mark back.
 */
export const MESSAGING_WINDOW_MS = 24 * 3600 * 1000;

/** How long the window opened by a message written at `writtenAt` stays open after `now` (ms; ≤ 0 when closed). */
export function windowLeftMs(writtenAt: number, now = Date.now()): number {
  return writtenAt + MESSAGING_WINDOW_MS - now;
}

/**
 * The mark is written by the turn's claim (conversation-turn.ts), in the same script that takes
 * the conversation; this reads it.
 */
export class LastWritten {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyOf: (conversation: string) => string,
  ) {}

  /** Whether a free-form message may go to this conversation at `at` (ms). */
  async windowOpenAt(conversation: string, at: number): Promise<boolean> {
    const raw = await this.redis.get(this.keyOf(conversation));
    return raw !== null && at < Number(raw) + MESSAGING_WINDOW_MS;
  }
}
