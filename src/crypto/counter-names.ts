import { createHmac } from 'node:crypto';

/**
 * Names for the counters that protect everyone else from one person (wrong link codes, fair-use
 * counts and the daily cap): a keyed hash (HMAC-SHA256 with config.privacy.counterKey, 22
 * base64url characters) of the account or message they count. Erasure finds a person's keys by
 * their ids, so a counter named this way outlives `/forget all`, and a guesser or a heavy user
 * cannot reset their count by erasing themselves; and since the name holds no id, nor can anyone
 * without the key tell whose count it is. What such a counter holds is numbers and times, never
 * text, and it expires with its window.
 */
export type CounterName = (value: string) => string;

export function createCounterNames(key: Buffer): CounterName {
  return (value) => `h_${createHmac('sha256', key).update(value).digest('base64url').slice(0, 22)}`;
}
