import { stateKey } from './keys';

/**
 * Redis keys of remembered facts, the first-contact mark and the last answer's explanation, all
 * under QUEUE_PREFIX (beside the ones in src/redis/keys.ts). `person` is a PersonDirectory key
 * (`<platform>:<user id>` for an account joined to no other), `conversation` a conversationKey().
 * Keys about a person end in the person key, so erasure by id finds them like the others.
 */
export interface MemoryStateKeys {
  /** one hash per person: consent and the facts */
  memory: (person: string) => string;
  /** the person was told, on this platform, who they are talking to */
  firstContactTold: (platform: string, person: string) => string;
  /** what the last answer in the conversation was made from (`/why`) */
  lastAnswer: (conversation: string) => string;
}

export function memoryStateKeys(prefix: string): MemoryStateKeys {
  const k = (...parts: string[]) => stateKey(prefix, ...parts);
  return {
    memory: (person) => k('memory', person),
    firstContactTold: (platform, person) => k('told-ai', platform, person),
    lastAnswer: (conversation) => k('why', conversation),
  };
}
