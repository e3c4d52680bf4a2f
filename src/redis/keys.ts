/**
 * The Redis keys Threadline writes outside BullMQ's own, all under QUEUE_PREFIX so deployments
 * and test runs can share one Redis (modes and limits add theirs in src/modes/state-keys.ts,
 * built with the same stateKey()). `conversation` is a conversationKey(),
 * `message` a messageKey().
 */
export interface StateKeys {
  history: (conversation: string) => string;
  inbox: (conversation: string) => string;
  turnLock: (conversation: string) => string;
  answered: (message: string) => string;
  pendingReply: (message: string) => string;
  sentPart: (message: string, part: number) => string;
  /** answers waiting to be sent to one conversation's user, in order (see recipient-outbox.ts) */
  outbox: (conversation: string) => string;
  sendLock: (conversation: string) => string;
  /** the user's messaging window was found closed (see messaging-window.ts) */
  windowClosed: (conversation: string) => string;
  /** the yes/no question the bot is waiting on (see pending-question.ts) */
  pendingQuestion: (conversation: string) => string;
}

/** `<prefix>:state:<parts...>`: the shape of every state key (modes and limits use it too). */
export function stateKey(prefix: string, ...parts: Array<string | number>): string {
  return [prefix, 'state', ...parts].join(':');
}

export function stateKeys(prefix: string): StateKeys {
  const k = (...parts: Array<string | number>) => stateKey(prefix, ...parts);
  return {
    history: (conversation) => k('history', conversation),
    inbox: (conversation) => k('inbox', conversation),
    turnLock: (conversation) => k('lock', conversation),
    answered: (message) => k('answered', message),
    pendingReply: (message) => k('reply', message),
    sentPart: (message, part) => k('sent', message, part),
    outbox: (conversation) => k('outbox', conversation),
    sendLock: (conversation) => k('sendlock', conversation),
    windowClosed: (conversation) => k('window-closed', conversation),
    pendingQuestion: (conversation) => k('question', conversation),
  };
}
