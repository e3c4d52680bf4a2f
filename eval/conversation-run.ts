import { modeCommand } from '../src/commands/commands';
import { pageText, whatsAppText } from '../test/helpers/payloads';
import { afterLastReply } from '../test/helpers/say';
import { replies } from '../test/helpers/replies';
import { asSendBody } from '../test/helpers/send-body';
import type { Answer } from './checks';
import type { EvalSystem } from './eval-system';
import type { Conversation } from './suite';

/**
 * One conversation through the running product, as a person would have it: the mode chosen by
 * command (unless it is the deployment's default), memory switched on and facts remembered by
 * command, then each message, waiting for its whole answer. What the person received is read
 * from the fake Graph; which mode answered from the worker's own metrics.
 */
export interface ConversationRun {
  answers: Answer[];
  /** every reply of the conversation, setup included, in order */
  replies: string[];
  /** the mode the last message was answered in (auto's choice in auto mode) */
  routed: string | undefined;
  /** auto's reason for it */
  reason: string | undefined;
}

/** Once the answer has started arriving and its turn is done, this long without another message ends it. */
const QUIET_MS = 300;

let people = 0;

/** A fresh person per conversation, in the shape of the platform's ids. */
function personFor(conversation: Conversation): string {
  people += 1;
  const serial = String(Date.now() % 1e7).padStart(7, '0') + String(people).padStart(4, '0');
  return conversation.platform === 'whatsapp' ? `1555${serial}` : `9${serial}`;
}

/** Messages sent to `user` (texts, buttons, cards), not read receipts or typing. */
function messagesTo(system: EvalSystem, user: string): number {
  return system.graph.requests.filter((request) => {
    const body = asSendBody(request.body);
    if (request.method !== 'POST' || !body || body.status !== undefined || body.sender_action !== undefined)
      return false;
    return body.to === user || body.recipient?.id === user;
  }).length;
}

/** The worker's metrics, read from its /metrics: `name{labels}` → value. */
type Counters = Map<string, number>;
const SAMPLE = /^([a-zA-Z_:][\w:]*)\{([^}]*)\} (\S+)$/;

async function scrape(system: EvalSystem): Promise<Counters> {
  const text = await (await fetch(system.metricsUrl)).text();
  const counters: Counters = new Map();
  for (const line of text.split('\n')) {
    const match = SAMPLE.exec(line);
    if (match) counters.set(`${match[1]}{${match[2]}}`, Number(match[3]));
  }
  return counters;
}

const labelsOf = (key: string): Record<string, string> =>
  Object.fromEntries([...key.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));

/** The sum of the samples named `name` whose labels pass `keep`. */
function total(counters: Counters, name: string, keep: (labels: Record<string, string>) => boolean = () => true) {
  let sum = 0;
  for (const [key, value] of counters) if (key.startsWith(`${name}{`) && keep(labelsOf(key))) sum += value;
  return sum;
}

/** The labels of the samples named `name` that grew between two scrapes. */
function grown(before: Counters, after: Counters, name: string): Array<Record<string, string>> {
  return [...after]
    .filter(([key, value]) => key.startsWith(`${name}{`) && value > (before.get(key) ?? 0))
    .map(([key]) => labelsOf(key));
}

const turnsCounted = (counters: Counters) => total(counters, 'threadline_turns_total');
const sendsPending = (counters: Counters) =>
  total(counters, 'threadline_queue_jobs', (l) => l.queue === 'outbound' && l.state !== 'failed');

/**
 * Whether the message got its whole answer: something reached the person, the turn is counted
 * (recorded), no send is left in the queue, and nothing more arrived for a short while.
 */
async function untilAnswered(
  system: EvalSystem,
  user: string,
  before: { sent: number; turns: number },
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  let seen = before.sent;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    const now = messagesTo(system, user);
    if (now !== seen) [seen, quietSince] = [now, Date.now()];
    if (seen > before.sent && Date.now() - quietSince >= QUIET_MS) {
      const counters = await scrape(system);
      if (turnsCounted(counters) > before.turns && sendsPending(counters) === 0) return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return seen > before.sent;
}

/** Sends one message and waits for its whole answer; returns the replies it got and how long they took. */
async function say(system: EvalSystem, conversation: Conversation, user: string, text: string, timeoutMs: number) {
  const before = replies(system.graph, user).length;
  const counted = { sent: messagesTo(system, user), turns: turnsCounted(await scrape(system)) };
  const startedAt = Date.now();
  // Stamped after the last reply, as a person writes after reading it: a yes counts only then.
  const at = afterLastReply(system.graph, user);
  const payload =
    conversation.platform === 'whatsapp'
      ? whatsAppText(user, text, { timestamp: Math.floor(at / 1000) })
      : pageText(conversation.platform === 'messenger' ? 'page' : 'instagram', user, text, { timestamp: at });
  await system.deliver(conversation.platform, payload);
  const answered = await untilAnswered(system, user, counted, timeoutMs);
  const got = replies(system.graph, user).slice(before);
  const first = got[0]?.request.at;
  return { texts: got.map((r) => r.text), latencyMs: answered && first ? first - startedAt : undefined };
}

/** The commands that put the person where the conversation starts: its mode, memory on, the facts. */
function setupOf(conversation: Conversation, usual: string): string[] {
  const mode = conversation.mode === usual ? [] : [modeCommand(conversation.mode)];
  if (conversation.memory.length === 0) return mode;
  return [...mode, '/memory on', 'yes', ...conversation.memory.map((fact) => `/remember ${fact}`)];
}

/** The answer's text as the person read it, with the first-contact notice taken off. */
function withoutNotice(texts: string[], notice: string | undefined): Answer['parts'] {
  return texts.map((text, i) =>
    i === 0 && notice && text.startsWith(notice) ? text.slice(notice.length).trim() : text,
  );
}

export async function runConversation(
  system: EvalSystem,
  conversation: Conversation,
  timeoutMs: number,
): Promise<ConversationRun> {
  const user = personFor(conversation);
  const all: string[] = [];
  for (const command of setupOf(conversation, system.config.modes.auto.defaultChoice)) {
    all.push(...(await say(system, conversation, user, command, timeoutMs)).texts);
  }
  const answers: Answer[] = [];
  let route: Pick<ConversationRun, 'routed' | 'reason'> = { routed: undefined, reason: undefined };
  for (const message of conversation.messages) {
    const before = await scrape(system);
    const { texts, latencyMs } = await say(system, conversation, user, message, timeoutMs);
    const after = await scrape(system);
    all.push(...texts);
    const parts = withoutNotice(
      texts,
      all.length === texts.length ? system.notice?.(conversation.language) : undefined,
    );
    answers.push({ parts, text: parts.join('\n\n'), latencyMs });
    const auto = grown(before, after, 'threadline_auto_routes_total')[0];
    const turn = grown(before, after, 'threadline_turns_total')[0];
    route = { routed: auto?.route ?? turn?.mode, reason: auto?.reason };
  }
  return { answers, replies: all, ...route };
}
