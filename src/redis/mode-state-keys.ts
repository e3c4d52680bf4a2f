import { hashTag, stateKey } from './keys';

/**
 * Redis keys of modes, signs of life and fair-use limits, all under QUEUE_PREFIX (beside the
 * ones in src/redis/keys.ts). `conversation` is a conversationKey(), `message` a messageKey(),
 * `user` is `platform:userId`. Apart from the mode, each is read and written on its own, so none
 * needs a Redis Cluster hash tag (see keys.ts).
 */
export interface ModeStateKeys {
  mode: (conversation: string) => string;
  thinkingNote: (message: string) => string;
  limitDecision: (message: string) => string;
  limitTold: (limit: string, user: string) => string;
  /** rate-limiter-flexible's keyPrefix for one limit; it appends `:<key>` itself */
  limiterPrefix: (limit: string) => string;
}

export function modeStateKeys(prefix: string): ModeStateKeys {
  const k = (...parts: string[]) => stateKey(prefix, ...parts);
  return {
    // Tagged like the other conversation keys (keys.ts), so a conversation's keys share a slot.
    mode: (conversation) => k('mode', hashTag(conversation)),
    thinkingNote: (message) => k('note', message),
    limitDecision: (message) => k('limits', 'decision', message),
    limitTold: (limit, user) => k('limits', 'told', limit, user),
    limiterPrefix: (limit) => [prefix, 'limits', limit].join(':'),
  };
}
