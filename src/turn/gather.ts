import { setTimeout as sleep } from 'node:timers/promises';
import type { RedisClient } from '../redis/connection';
import { inboundMessageSchema, type InboundMessage } from '../core/inbound';
import { measure, type TextLimit } from '../core/split';
import { readAttachment, refuseExtraAttachments } from '../media/prepare-input';
import type { GatheredTurn, PlannedTurn } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';
import { INBOX_READ, type InboxEntry } from '../conversation/conversation-turn';
import { mediaReaders, type MediaDeps } from './read-media';

/**
 * Gather: a photo and the question about it are one turn.
 *
 * Whichever comes first, a photo and its question merge when they arrive within a short window.
 * The messages that follow the turn's head are already in the conversation's inbox (registered
 * at enqueue, in order); this finds the ones to take along. The head's own attachments start
 * downloading before the wait, so a photo waiting for its question is fetched meanwhile.
 *
 * Latency rule: plain text never waits. A text takes along photos that are already queued
 * behind it; a photo without a caption waits (at most the window, measured from its arrival)
 * for the text that usually follows. Text+text and anything with voice notes or unsupported
 * content is never merged: each of those is its own turn.
 *
 * A turn absorbs at most MAX_TURN_MESSAGES messages and as much text as the platform lets one
 * message carry, and every message it absorbs costs a burst point (the head was charged by
 * decide): a photo followed by a flood of texts is several turns, each a model call of ordinary
 * size, never one huge call charged once. What is left behind stays in the inbox, in order, and
 * becomes the next turns; a follower the burst limit refuses is left behind too, and its own turn
 * replays that refusal (told once per window, like any other).
 */

/** Messages one turn may take in, the head included. */
export const MAX_TURN_MESSAGES = 10;

export interface GatherDependencies {
  redis: RedisClient;
  inboxKey: (conversation: string) => string;
  /** the queued message under this key, if its job still exists */
  loadMessage: (key: string) => Promise<InboundMessage | undefined>;
  isAnswered: (key: string) => Promise<boolean>;
  windowMs: number;
  /** how often a waiting photo looks again; short, it only reads a sorted set */
  pollMs?: number;
  /** stops a photo's wait for its question (worker shutdown) */
  signal?: AbortSignal;
  /** the inbox from the head on, as the claim read it: the first look needs no read of its own */
  inboxAtClaim?: InboxEntry[];
  /** the most text a turn may carry: the platform's one-message limit */
  textLimit: TextLimit;
  /** charges the burst limit for a message the turn takes in; false: refused, it stays behind */
  chargeFollower: (key: string) => Promise<boolean>;
}

/** What gathering reaches: the inbox and the queued messages in it, the burst limit, and the media readers. */
export type GatherStepDeps = MediaDeps &
  Pick<TurnDependencies, 'stateRedis' | 'turnOrder' | 'ledger' | 'inbound' | 'jobIds' | 'limiter'>;

/** The turn with its head's followers merged in (`gathered`), their keys (`absorbed`), and the head's readings under way. */
export async function gather(turn: PlannedTurn, deps: GatherStepDeps): Promise<GatheredTurn> {
  const { messageKey, conversation, job, signal } = turn;
  // `/think <question>`: the question without its command is what the model reads.
  const message = turn.modeQuestion?.message ?? turn.message;
  const user = { platform: message.platform, userId: message.userId, person: turn.person };
  // Too many photos: none of them is downloaded; read-media answers the refusal.
  const headReadings = refuseExtraAttachments(message.attachments, deps.media.settings)
    ? []
    : message.attachments.map((attachment) => readAttachment(attachment, mediaReaders(turn, deps), signal));
  const gathered = await gatherTurn(message, messageKey, conversation, job.timestamp, {
    redis: deps.stateRedis,
    inboxKey: deps.turnOrder.inboxKey,
    windowMs: deps.media.mergeWindowMs,
    isAnswered: (key) => deps.ledger.isAnswered(conversation, key),
    loadMessage: async (key) => {
      const queued = await deps.inbound.getJob(deps.jobIds.inbound(key, message.userId));
      const parsed = inboundMessageSchema.safeParse(queued?.data);
      return parsed.success ? parsed.data : undefined;
    },
    signal,
    inboxAtClaim: turn.found.inbox,
    textLimit: turn.adapter.textLimit,
    chargeFollower: async (key) => (await deps.limiter.chargeCommand(user, key)).allowed,
  });
  return { ...turn, gathered: gathered.message, absorbed: gathered.absorbed, headReadings };
}

export interface Gathering {
  message: InboundMessage;
  /** message keys absorbed into this turn: answered by its reply */
  absorbed: string[];
}

/** A photo, document or video: something looked at, whose question usually follows it. */
const isLookedAt = (a: InboundMessage['attachments'][number]) =>
  (a.kind === 'image' && !a.sticker) || a.kind === 'document' || a.kind === 'video';
const hasImage = (m: InboundMessage) => m.attachments.some(isLookedAt);
const hasText = (m: InboundMessage) => (m.text?.trim() ?? '') !== '';
/** only text, photos, documents and videos merge: no voice notes, stickers, unsupported content, button payloads, control events */
const mergeable = (m: InboundMessage) =>
  m.control === undefined &&
  m.unsupported === undefined &&
  m.payload === undefined &&
  m.attachments.every(isLookedAt) &&
  (hasText(m) || hasImage(m));

export async function gatherTurn(
  head: InboundMessage,
  headKey: string,
  conversation: string,
  arrivedAtMs: number,
  deps: GatherDependencies,
): Promise<Gathering> {
  if (deps.windowMs <= 0 || !mergeable(head)) return { message: head, absorbed: [] };
  const inbox = deps.inboxKey(conversation);
  const first = deps.inboxAtClaim?.[0];
  const claimed = first?.key === headKey ? deps.inboxAtClaim : undefined;
  const score = claimed && first ? first.score : await deps.redis.zscore(inbox, headKey);
  if (score === null) return { message: head, absorbed: [] };
  const waitUntil = hasImage(head) && !hasText(head) ? arrivedAtMs + deps.windowMs : 0;
  for (let look = 0; ; look += 1) {
    const known = look === 0 && claimed ? keysInWindow(claimed, Number(score) + deps.windowMs) : undefined;
    const followers = await followersInWindow(deps, inbox, head, headKey, Number(score), known);
    const group = [head, ...followers.map((f) => f.message)];
    const complete = group.some(hasImage) && group.some(hasText);
    if (complete || Date.now() >= waitUntil) {
      const charged = group.some(hasImage) ? await chargedFollowers(deps, followers) : [];
      return charged.length > 0
        ? { message: mergeMessages([head, ...charged.map((f) => f.message)]), absorbed: charged.map((f) => f.key) }
        : { message: head, absorbed: [] };
    }
    await sleep(Math.min(deps.pollMs ?? 100, Math.max(1, waitUntil - Date.now())), undefined, {
      signal: deps.signal,
    });
  }
}

/** The keys of the claim's inbox read within the window; undefined when the read may have stopped short of its end. */
function keysInWindow(entries: InboxEntry[], until: number): string[] | undefined {
  const inWindow = entries.filter((entry) => entry.score <= until);
  return inWindow.length < entries.length || entries.length < INBOX_READ ? inWindow.map((e) => e.key) : undefined;
}

type Follower = { key: string; message: InboundMessage };

/** The followers up to the first the burst limit refuses, each charged once (a retry replays it). */
async function chargedFollowers(deps: GatherDependencies, followers: Follower[]): Promise<Follower[]> {
  const charged: Follower[] = [];
  for (const follower of followers) {
    if (!(await deps.chargeFollower(follower.key))) break;
    charged.push(follower);
  }
  return charged;
}

/** Whether the group's text, joined as mergeMessages joins it, still fits the platform's one-message limit. */
function fitsText(group: InboundMessage[], limit: TextLimit): boolean {
  const texts = group.map((m) => m.text?.trim() ?? '').filter((t) => t !== '');
  return measure(texts.join('\n'), limit.unit) <= limit.max;
}

/**
 * The unanswered, mergeable messages right behind the head, in order, within the window, and
 * within what a turn may take in (MAX_TURN_MESSAGES, the platform's one-message text limit).
 */
async function followersInWindow(
  deps: GatherDependencies,
  inbox: string,
  head: InboundMessage,
  headKey: string,
  score: number,
  known?: string[],
) {
  // Inclusive of the head's score: messages stamped in the same second tie, and the inbox orders
  // ties by key, so "after the head" is a position in this list, not a higher score.
  const inWindow = known ?? (await deps.redis.zrangebyscore(inbox, score, score + deps.windowMs));
  const headAt = inWindow.indexOf(headKey);
  const followers: Follower[] = [];
  if (headAt < 0) return followers;
  const group = [head];
  for (const key of inWindow.slice(headAt + 1, headAt + MAX_TURN_MESSAGES)) {
    const message = await deps.loadMessage(key);
    if (!message || !mergeable(message) || (await deps.isAnswered(key))) break;
    if (!fitsText([...group, message], deps.textLimit)) break;
    group.push(message);
    followers.push({ key, message });
  }
  return followers;
}

/** One message with every text (in order, one per line) and every photo of the group. */
export function mergeMessages(group: InboundMessage[]): InboundMessage {
  const [head] = group as [InboundMessage, ...InboundMessage[]];
  const texts = group.map((m) => m.text?.trim() ?? '').filter((t) => t !== '');
  return {
    ...head,
    text: texts.length > 0 ? texts.join('\n') : undefined,
    attachments: group.flatMap((m) => m.attachments),
  };
}
