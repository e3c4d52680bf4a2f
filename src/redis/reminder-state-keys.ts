import { hashTag, stateKey } from './keys';

/**
 * Redis keys of reminders (docs/reminders.md), under QUEUE_PREFIX beside the others. `person` is
 * a PersonDirectory key, `conversation` a conversationKey(); each key ends in it (or is tagged with
 * it), so erasure by id finds them like the rest.
 */
export interface ReminderStateKeys {
  /** one hash per person: their pending reminders, sealed */
  reminders: (person: string) => string;
  /** the person's time zone and how it was learnt */
  timeZone: (person: string) => string;
  /** when the person last wrote in this conversation: whether Meta's 24-hour window is open */
  lastWrote: (conversation: string) => string;
}

export function reminderStateKeys(prefix: string): ReminderStateKeys {
  const k = (...parts: string[]) => stateKey(prefix, ...parts);
  return {
    reminders: (person) => k('reminders', person),
    timeZone: (person) => k('timezone', person),
    lastWrote: (conversation) => k('wrote', hashTag(conversation)),
  };
}
