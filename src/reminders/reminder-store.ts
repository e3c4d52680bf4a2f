import type { RedisClient } from '../redis/connection';
import { plaintextSealer, SealedValueCorruptError, type Sealer } from '../crypto/sealing';
import { reminderSchema, type Reminder } from './reminder';

/**
 * A person's pending reminders: one Redis hash per person (shared by their linked apps), one
 * field per reminder, sealed and bound to the person. The hash lives until a week after the last
 * one-off reminder is due, or a year and a week while a repeating one is kept; a delivered one-off
 * is deleted, a cancelled one too.
 */
const WEEK_MS = 7 * 24 * 3600 * 1000;
/** A delivered one-off leaves only this mark (no text), so the message that asked for it cannot set it again. */
const DONE = 'done:';
const YEAR_MS = 366 * 24 * 3600 * 1000;

export class ReminderStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyOf: (person: string) => string,
    private readonly sealer: Sealer = plaintextSealer,
  ) {}

  /** The person's reminders, soonest first: the numbering `/reminders` shows. */
  async list(person: string): Promise<Reminder[]> {
    const fields = await this.redis.hgetall(this.keyOf(person));
    const kept = Object.entries(fields).filter(([field]) => !field.startsWith(DONE));
    const reminders = kept.flatMap(([, stored]) => this.open(person, stored));
    return reminders.sort((a, b) => a.dueAt - b.dueAt || a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }

  async get(person: string, id: string): Promise<Reminder | undefined> {
    const stored = await this.redis.hget(this.keyOf(person), id);
    return stored === null ? undefined : this.open(person, stored)[0];
  }

  async count(person: string): Promise<number> {
    return (await this.list(person)).length;
  }

  /** Whether this one-off was delivered already (a retried turn asking for it again finds it so). */
  async wasDelivered(person: string, id: string): Promise<boolean> {
    return (await this.redis.hexists(this.keyOf(person), `${DONE}${id}`)) === 1;
  }

  /** A one-off is out: its content goes, a mark of its id stays until the hash expires. */
  async markDelivered(person: string, id: string): Promise<void> {
    // Mark first: the hash never empties in between, so it keeps its lifetime.
    const key = this.keyOf(person);
    await this.redis.multi().hset(key, `${DONE}${id}`, '1').hdel(key, id).exec();
  }

  /** Saves (or replaces) a reminder and stretches the hash's life to cover it. */
  async put(person: string, reminder: Reminder, now = Date.now()): Promise<void> {
    const key = this.keyOf(person);
    const ttl = Math.max(reminder.dueAt - now, 0) + (reminder.repeat ? YEAR_MS : WEEK_MS);
    const current = await this.redis.pttl(key);
    const multi = this.redis.multi().hset(key, reminder.id, this.sealer.seal(JSON.stringify(reminder), person));
    await multi.pexpire(key, Math.max(ttl, current)).exec();
  }

  /** Removes one; false when it was not there (already delivered or cancelled). */
  async remove(person: string, id: string): Promise<boolean> {
    return (await this.redis.hdel(this.keyOf(person), id)) === 1;
  }

  private open(person: string, stored: string): Reminder[] {
    try {
      const parsed = reminderSchema.safeParse(JSON.parse(this.sealer.open(stored, person)));
      return parsed.success ? [parsed.data as Reminder] : [];
    } catch (error) {
      if (error instanceof SyntaxError || error instanceof SealedValueCorruptError) return [];
      throw error;
    }
  }
}
