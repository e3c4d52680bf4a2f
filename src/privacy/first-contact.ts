import type { Translator } from '../i18n/translator';
import type { RedisClient } from '../redis/connection';

/**
 * Whether a person has been told, in one conversation (one business channel on one app), that they are talking to an AI assistant (and
 * who runs it, how long the conversation is kept, and how to see and erase it). The mark is
 * written with the reply that carries the notice, and refreshed by every later reply, so it lives
 * exactly as long as the conversation history it speaks about: once the person has been quiet
 * long enough for their history to expire, they are a new contact and are told again. A turn
 * reads the mark in its claim (src/conversation/conversation-turn.ts).
 */
export class FirstContactMarks {
  constructor(
    private readonly keyOf: (conversation: string) => string,
    readonly ttlSeconds: number,
  ) {}

  /** Marks (or keeps marked) as part of `multi`, committed with the reply. */
  markIn(multi: ReturnType<RedisClient['multi']>, conversation: string): void {
    multi.set(this.keyOf(conversation), '1', 'EX', this.ttlSeconds);
  }
}

/** The first-contact notice of a deployment: its marks and its text in a language (null with AI_DISCLOSURE=off). */
export interface FirstContact {
  marks: FirstContactMarks;
  notice: (t: Translator) => string;
}
