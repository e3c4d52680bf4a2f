/**
 * The Redis keys Threadline writes, all under QUEUE_PREFIX so deployments and test runs can share
 * one Redis (modes and limits add theirs in mode-state-keys.ts, built with the same stateKey()).
 * `conversation` is a conversationKey(), `message` a messageKey().
 *
 * On a Redis Cluster a MULTI, a Lua script or a multi-key command may only touch keys of one hash
 * slot, and Redis hashes only the part of a key inside its first `{…}` (the hash tag). So every key
 * that is written together with others carries the tag of what it belongs to, here and nowhere
 * else:
 * - everything about one conversation (history, inbox, turn lock, outbox, send lock, closed
 *   window) and the answer ledger of its messages is tagged with the conversation: a turn's
 *   transactions (pending reply + history + inbox; answered + inbox + window) stay in one slot,
 *   and different conversations spread over the cluster;
 * - BullMQ's keys are tagged with the queues' own tag (queuePrefix), as BullMQ requires;
 * - the rest (per-message marks, limits, catalog, deletion requests) is single-key: untagged.
 * A QUEUE_PREFIX that carries a tag of its own (`{tl}`) puts every key in that one slot: correct,
 * but the whole deployment then lives on one master.
 */
export interface StateKeys {
  history: (conversation: string) => string;
  inbox: (conversation: string) => string;
  turnLock: (conversation: string) => string;
  /** one message's place in the answer ledger: its pending reply, then `1` once answered (answer-ledger.ts) */
  answer: (conversation: string, message: string) => string;
  sentPart: (conversation: string, message: string, part: number) => string;
  /** answers waiting to be sent to one conversation's user, in order (see recipient-outbox.ts) */
  outbox: (conversation: string) => string;
  sendLock: (conversation: string) => string;
  /** the user's messaging window was found closed (see messaging-window.ts) */
  windowClosed: (conversation: string) => string;
  /** the yes/no question the bot is waiting on (see pending-question.ts) */
  pendingQuestion: (conversation: string) => string;
  /** an /export kept for a one-time link sent in this conversation (see privacy/export-link.ts) */
  exportLink: (conversation: string, link: string) => string;
  /** the platform's ids of the answers' messages sent, each to its answer (see sent-answers.ts) */
  sentIds: (conversation: string) => string;
}

/** `<prefix>:state:<parts...>`: the shape of every state key (modes and limits use it too). */
export function stateKey(prefix: string, ...parts: Array<string | number>): string {
  return [prefix, 'state', ...parts].join(':');
}

/** `{value}`: keys that carry the same tag share a Redis Cluster hash slot. */
export function hashTag(value: string): string {
  return `{${value}}`;
}

/** Whether Redis would hash only part of `key` (it has a non-empty `{…}`). */
export function hasHashTag(key: string): boolean {
  return /\{[^}]+\}/.test(key);
}

/**
 * BullMQ's prefix. Its Lua scripts touch many keys of a queue at once, so on a cluster they must
 * share a slot: the queues get a tag of their own (`<prefix>:{queues}`) unless QUEUE_PREFIX
 * already carries one. Every Queue, Worker and QueueEvents must be built with this prefix.
 */
export function queuePrefix(prefix: string): string {
  return hasHashTag(prefix) ? prefix : `${prefix}:${hashTag('queues')}`;
}

export function stateKeys(prefix: string): StateKeys {
  const k = (...parts: Array<string | number>) => stateKey(prefix, ...parts);
  const of = hashTag;
  return {
    history: (conversation) => k('history', of(conversation)),
    inbox: (conversation) => k('inbox', of(conversation)),
    turnLock: (conversation) => k('lock', of(conversation)),
    answer: (conversation, message) => k('answer', of(conversation), message),
    sentPart: (conversation, message, part) => k('sent', of(conversation), message, part),
    outbox: (conversation) => k('outbox', of(conversation)),
    sendLock: (conversation) => k('sendlock', of(conversation)),
    windowClosed: (conversation) => k('window-closed', of(conversation)),
    pendingQuestion: (conversation) => k('question', of(conversation)),
    exportLink: (conversation, link) => k('export-link', of(conversation), link),
    sentIds: (conversation) => k('sent-ids', of(conversation)),
  };
}
