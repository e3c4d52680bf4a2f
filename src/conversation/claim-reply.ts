/**
 * What the claim script (conversation-turn.ts) answers, as the turn reads it: one array from Lua,
 * turned into the state a turn that may begin finds.
 */

export interface InboxEntry {
  key: string;
  score: number;
}

/** What a turn that may begin finds, read in the step that gave it the turn. */
export interface ConversationState {
  /** the head (this message) and the entries right behind it, in order */
  inbox: InboxEntry[];
  /** the open yes/no question's fields as stored (its text sealed), taken; null when none was open */
  question: Record<string, string> | null;
  /** the history as stored (sealed entries, oldest first) */
  history: string[];
  /**
   * the answer goes through the send queue: an earlier one to this user is still waiting there,
   * or a send found their window closed (the queue's path reopens it or stays silent)
   */
  queueFirst: boolean;
  /** the person was told who they are talking to (read only when asked) */
  told: boolean;
  /** how long the mark that says so has left (ms; 0 when not told) */
  toldForMs: number;
  /**
   * the handoff record as stored (JSON): a person from the team has the conversation, or had it
   * until the pause ran idle (HandoffDesk.status decides); null when the assistant has it
   */
  handoff: string | null;
}

export type ClaimResult =
  | { state: 'answered' }
  | { state: 'busy' }
  /** the lock is ours, but `head` (an earlier message) is first in the inbox */
  | { state: 'behind'; head: string | null }
  /** an earlier attempt saved this reply (as stored, sealed) */
  | { state: 'resume'; reply: string }
  | { state: 'begin'; found: ConversationState };

export function claimResult(reply: unknown[]): ClaimResult {
  const [state] = reply as [string];
  if (state === 'answered' || state === 'busy') return { state };
  if (state === 'behind') return { state, head: typeof reply[1] === 'string' ? reply[1] : null };
  if (state === 'resume') return { state, reply: reply[1] as string };
  const [, inbox, question, history, queueFirst, told, handoff] = reply as [
    string,
    string[],
    string[],
    string[],
    number,
    number,
    string | null,
  ];
  return {
    state: 'begin',
    found: {
      inbox: inboxEntries(inbox),
      question: question.length === 0 ? null : fieldsOf(question),
      history,
      queueFirst: queueFirst > 0,
      told: told !== -2,
      toldForMs: told > 0 ? told : 0,
      handoff: typeof handoff === 'string' ? handoff : null,
    },
  };
}

function fieldsOf(flat: string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) fields[flat[i]!] = flat[i + 1]!;
  return fields;
}

function inboxEntries(flat: string[]): InboxEntry[] {
  const entries: InboxEntry[] = [];
  for (let i = 0; i + 1 < flat.length; i += 2) entries.push({ key: flat[i]!, score: Number(flat[i + 1]) });
  return entries;
}
