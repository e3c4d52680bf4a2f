import type { RedisClient } from '../redis/connection';
import { LuaScript } from '../redis/lua-script';

/**
 * Meta lets a business answer free text only within 24 hours of the user's last message
 * (WhatsApp 131047, Messenger/Instagram code 10). When a send is refused for that reason we
 * remember it per conversation, with the timestamp of the message we were answering: every
 * answer to that message or an older one would be refused too, so it is not tried (one attempt,
 * then silence toward that user, as Meta requires). A newer message from the user opens the
 * window again: its answer is newer than the record and goes out; the turn also clears the record.
 */

// Keep the newest closed-at: a late failure of an old answer must not move the mark back.
const MARK = new LuaScript(`
local current = tonumber(redis.call('get', KEYS[1]) or '-1')
if tonumber(ARGV[1]) > current then redis.call('set', KEYS[1], ARGV[1], 'EX', ARGV[2]) end
return 1`);

const REOPEN = `
local current = redis.call('get', KEYS[1])
if current and tonumber(ARGV[1]) > tonumber(current) then redis.call('del', KEYS[1]) end
return 1`;

export class MessagingWindow {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyOf: (conversation: string) => string,
    private readonly ttlSeconds: number,
  ) {}

  /** Records that answers to messages up to `answeringAt` (ms) cannot reach this user. */
  async markClosed(conversation: string, answeringAt: number): Promise<void> {
    await MARK.run(this.redis, [this.keyOf(conversation)], [answeringAt, this.ttlSeconds]);
  }

  /** True when an answer to a message stamped `answeringAt` would be refused. */
  async isClosedFor(conversation: string, answeringAt: number | undefined): Promise<boolean> {
    const raw = await this.redis.get(this.keyOf(conversation));
    if (raw === null) return false;
    // An answer whose message time is unknown is treated as old: one refusal already happened.
    return answeringAt === undefined || answeringAt <= Number(raw);
  }

  /**
   * The user wrote at `writtenAt` (ms): forget the record, as part of the caller's transaction.
   * A message older than the record (a late redelivery) does not reopen the window.
   */
  reopenIn(multi: ReturnType<RedisClient['multi']>, conversation: string, writtenAt: number): void {
    multi.eval(REOPEN, 1, this.keyOf(conversation), String(writtenAt));
  }
}
