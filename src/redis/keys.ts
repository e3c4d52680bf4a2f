/**
 * Every Redis key Threadline writes outside BullMQ's own, in one place, all under QUEUE_PREFIX so
 * deployments and test runs can share one Redis. `conversation` is a conversationKey(),
 * `message` a messageKey().
 */
export interface StateKeys {
  history(conversation: string): string;
  inbox(conversation: string): string;
  turnLock(conversation: string): string;
  answered(message: string): string;
  pendingReply(message: string): string;
  sentPart(message: string, part: number): string;
}

export function stateKeys(prefix: string): StateKeys {
  const k = (...parts: Array<string | number>) => [prefix, 'state', ...parts].join(':');
  return {
    history: (conversation) => k('history', conversation),
    inbox: (conversation) => k('inbox', conversation),
    turnLock: (conversation) => k('lock', conversation),
    answered: (message) => k('answered', message),
    pendingReply: (message) => k('reply', message),
    sentPart: (message, part) => k('sent', message, part),
  };
}
