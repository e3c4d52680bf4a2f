import { MESSAGING_WINDOW_MS } from '../conversation/last-written';
import type { Platform } from '../core/inbound';
import type { MessageTag } from '../core/message-tag';
import type { SendFailure } from '../platforms/graph-errors';
import { DAY_MS, type HandoffDeskDependencies } from './handoff-desk-types';
import type { ReplyNotSent } from './handoff-target';

/**
 * When an agent's reply may still reach the person, and what to say when it does not. Meta takes
 * free text for 24 hours after the person's last message. On Messenger and Instagram a reply a
 * person wrote may go up to 7 days after it under the HUMAN_AGENT tag, which needs the app's
 * Human Agent feature (HANDOFF_HUMAN_AGENT_TAG); WhatsApp has no such tag (only templates).
 */

export const HUMAN_AGENT_DAYS = 7;
const HUMAN_AGENT_PLATFORMS: ReadonlySet<Platform> = new Set<Platform>(['messenger', 'instagram']);

/** Open (with the tag the reply goes under, if any), or closed with the reason for the agent. */
export type AgentWindow = { open: true; tag?: MessageTag } | { open: false; detail: string };

export function agentWindow(
  platform: Platform,
  lastPersonAt: number,
  now: number,
  humanAgentTag: boolean,
): AgentWindow {
  const since = now - lastPersonAt;
  if (since < MESSAGING_WINDOW_MS) return { open: true };
  const last = new Date(lastPersonAt).toISOString();
  if (!humanAgentTag || !HUMAN_AGENT_PLATFORMS.has(platform)) {
    const detail = `the person last wrote more than 24 hours ago (${last}); the platform refuses free text until they write again`;
    return { open: false, detail };
  }
  if (since < HUMAN_AGENT_DAYS * DAY_MS) return { open: true, tag: 'human-agent' };
  const detail = `the person last wrote more than ${HUMAN_AGENT_DAYS} days ago (${last}); Meta refuses even an agent's reply (HUMAN_AGENT) until they write again`;
  return { open: false, detail };
}

/** The send key of an agent's reply: the send job's id and the ledger's parts derive from it. */
export function agentReplyKey(handle: string, agentMessageId: string): string {
  return `handoff-reply:${handle}:${agentMessageId}`;
}

/** The handle and the agent's message id a send key names; null for any other send. */
export function agentReplyOf(answering: string): { handle: string; agentMessageId: string } | null {
  const match = /^handoff-reply:(c_[\w-]+):(.+)$/s.exec(answering);
  return match ? { handle: match[1]!, agentMessageId: match[2]! } : null;
}

/** What the agent is told of a reply Meta refused once the send queue tried it. */
export function notSentNotice(agentMessageId: string, failure: SendFailure['kind']): ReplyNotSent {
  if (failure === 'window-closed') {
    const detail =
      "the platform refused the reply as outside the person's messaging window: more than 24 hours (HUMAN_AGENT: 7 days) " +
      'since they last wrote, or the app lacks the Human Agent feature (HANDOFF_HUMAN_AGENT_TAG=false stops the tag)';
    return { reply: agentMessageId, reason: 'window-closed', detail };
  }
  return {
    reply: agentMessageId,
    reason: 'refused',
    detail: `the platform refused the reply (${failure}); it was not sent`,
  };
}

/**
 * Puts the refusal of an agent's reply (`answering`: its send key) into the conversation's
 * forward log, once; false when the send was not an agent's reply or the handoff has ended.
 */
export async function logNotSent(
  conversation: string,
  answering: string,
  failure: SendFailure['kind'],
  deps: Pick<HandoffDeskDependencies, 'store' | 'logger'>,
): Promise<boolean> {
  const reply = agentReplyOf(answering);
  if (!reply) return false;
  const state = await deps.store.read(conversation);
  if (state?.handle !== reply.handle) {
    deps.logger.warn({ failure }, 'agent reply refused after the handoff ended; no inbox to tell');
    return false;
  }
  const notice = notSentNotice(reply.agentMessageId, failure);
  await deps.store.append(conversation, { kind: 'not-sent', id: `not-sent:${reply.agentMessageId}`, ...notice });
  deps.logger.warn({ failure, reason: notice.reason }, 'agent reply refused by the platform; the agent is told');
  return true;
}
