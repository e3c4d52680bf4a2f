import type { CounterName } from '../crypto/counter-names';
import { hashTag, stateKey } from './keys';

/**
 * Redis keys of modes, signs of life and fair-use limits, all under QUEUE_PREFIX (beside the
 * ones in src/redis/keys.ts). `conversation` is a conversationKey(), `message` a messageKey(),
 * `person` is a person key (`platform:userId` of an account). Apart from the mode, each is read
 * and written on its own (a limits script touches one key), so none needs a Redis Cluster hash
 * tag (see keys.ts).
 */
export interface ModeStateKeys {
  mode: (conversation: string) => string;
  thinkingNote: (message: string) => string;
  /** one hash per person: counters, windows, "told" marks and the decisions of their messages */
  limits: (person: string) => string;
  /** the field of one message's fair-use decision in the limits hash */
  decision: (message: string) => string;
  /** the deployment's budget (LIMIT_GLOBAL_DAILY), one counter */
  globalLimit: string;
  /** the language a person is written to in, and how it was learnt (src/people/person-languages.ts) */
  language: (person: string) => string;
}

/** `counterName` is the keyed hash of src/crypto/counter-names.ts (config.privacy.counterKey). */
export function modeStateKeys(prefix: string, counterName: CounterName): ModeStateKeys {
  const k = (...parts: string[]) => stateKey(prefix, ...parts);
  return {
    // Tagged like the other conversation keys (keys.ts), so a conversation's keys share a slot.
    mode: (conversation) => k('mode', hashTag(conversation)),
    thinkingNote: (message) => k('note', message),
    // Named by a keyed hash, not the person key: the counts protect the deployment's budget and
    // everyone else's share, so they outlive the person's erasure (src/crypto/counter-names.ts).
    // The decisions in it are named the same way: a WhatsApp message id encodes the phone number.
    limits: (person) => k('limits', counterName(person)),
    decision: (message) => `d:${counterName(message)}`,
    // The name and integer format of rate-limiter-flexible's counter: workers of the previous
    // release share it during a rolling upgrade, and the day's budget carries over.
    globalLimit: [prefix, 'limits', 'global', 'all'].join(':'),
    // Ends in the person key, like the limits: erasure finds it by the account (account-erasure.ts).
    language: (person) => k('language', person),
  };
}
