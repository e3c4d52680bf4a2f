import { hashTag, stateKey } from './keys';

/**
 * Redis keys of remembered facts, the first-contact mark and the last answer's explanation, all
 * under QUEUE_PREFIX (beside the ones in src/redis/keys.ts). `person` is a PersonDirectory key
 * (`<platform>:<user id>` for an account joined to no other), `conversation` a conversationKey().
 * Keys about a person or a conversation end in its key, so erasure by id finds them like the others.
 */
export interface MemoryStateKeys {
  /** one hash per person: consent and the facts */
  memory: (person: string) => string;
  /** the person was told, in this conversation, who they are talking to */
  firstContactTold: (conversation: string) => string;
}

export function memoryStateKeys(prefix: string): MemoryStateKeys {
  const k = (...parts: string[]) => stateKey(prefix, ...parts);
  return {
    memory: (person) => k('memory', person),
    // Tagged like the conversation's other keys: both are written in the reply's transaction.
    firstContactTold: (conversation) => k('told-ai', hashTag(conversation)),
  };
}
