import type { RedisClient } from '../redis/connection';
import { LuaScript } from '../redis/lua-script';

/**
 * When the person last wrote in a conversation (the platform's timestamp of their message), kept
 * for Meta's 24-hour customer service window and no longer: a business may send free-form
 * messages only within 24 hours of the person's last message (WhatsApp, Messenger and Instagram
 * alike), so a reminder due later needs a template or cannot go at all. The key expires when the
 * window closes; a late redelivery of an older message never moves the mark back.
 */
export const MESSAGING_WINDOW_MS = 24 * 3600 * 1000;

const NOTE = new LuaScript(`
local current = tonumber(redis.call('get', KEYS[1]) or '-1')
if tonumber(ARGV[1]) > current then redis.call('set', KEYS[1], ARGV[1], 'PX', ARGV[2]) end
return 1`);

/** How long the window opened by a message written at `writtenAt` stays open after `now` (ms; ≤ 0 when closed). */
export function windowLeftMs(writtenAt: number, now = Date.now()): number {
  return writtenAt + MESSAGING_WINDOW_MS - now;
}

/**
 * A turn marks its message in the claim (conversation-turn.ts), in the same script that takes the
 * conversation; `note` is for what marks it outside a turn.
 */
export class LastWritten {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyOf: (conversation: string) => string,
  ) {}

  async note(conversation: string, writtenAt: number, now = Date.now()): Promise<void> {
    const left = windowLeftMs(writtenAt, now);
    if (left <= 0) return;
    await NOTE.run(this.redis, [this.keyOf(conversation)], [writtenAt, left]);
  }

  /** Whether a free-form message may go to this conversation at `at` (ms). */
  async windowOpenAt(conversation: string, at: number): Promise<boolean> {
    const raw = await this.redis.get(this.keyOf(conversation));
    return raw !== null && at < Number(raw) + MESSAGING_WINDOW_MS;
  }
}
