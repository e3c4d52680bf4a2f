import { z } from 'zod';
import { ASSISTANT_MARK } from './chatwoot-target';

/**
 * What Chatwoot POSTs to the API inbox's webhook URL, reduced to what a handoff needs: an agent's
 * reply, or the conversation resolved. Payloads are `webhook_data` with `event` merged in;
 * `conversation.id` and a conversation event's `id` are the account's display ids. In webhooks
 * `message_type` is a string (`incoming`, `outgoing`, `template`); the integer enum of the API
 * (`outgoing` = 1) is accepted too. Private notes come with `private: true`, and the messages
 * Threadline created itself come back like any other.
 */

const messageCreated = z.looseObject({
  event: z.literal('message_created'),
  id: z.number().int(),
  content: z.string().nullish(),
  message_type: z.union([z.string(), z.number()]),
  private: z.boolean().nullish(),
  sender: z.looseObject({ type: z.string().nullish() }).nullish(),
  conversation: z.looseObject({ id: z.number().int() }),
});

const conversationEvent = z.looseObject({
  event: z.enum(['conversation_status_changed', 'conversation_resolved']),
  id: z.number().int(),
  status: z.string().nullish(),
});

export type ChatwootEvent =
  | { kind: 'agent-message'; chatwootConversation: number; messageId: number; text: string }
  | { kind: 'resolved'; chatwootConversation: number }
  | { kind: 'ignored'; why: string };

const isOutgoing = (type: string | number) => type === 'outgoing' || type === 1;

/** An agent typed this: outgoing, public, with words, and not from a bot or the contact. */
function agentMessage(m: z.infer<typeof messageCreated>): ChatwootEvent {
  if (!isOutgoing(m.message_type)) return { kind: 'ignored', why: 'not outgoing' };
  if (m.private) return { kind: 'ignored', why: 'private note' };
  const senderType = m.sender?.type?.toLowerCase();
  if (senderType && senderType !== 'user') return { kind: 'ignored', why: `sent by ${senderType}` };
  const text = m.content?.trim();
  if (!text) return { kind: 'ignored', why: 'no text' };
  // The assistant's own lines, mirrored by us: also known by id, but this holds before the id is stored.
  if (m.content?.startsWith(ASSISTANT_MARK)) return { kind: 'ignored', why: "the assistant's line" };
  return { kind: 'agent-message', chatwootConversation: m.conversation.id, messageId: m.id, text };
}

export function readChatwootEvent(body: unknown): ChatwootEvent {
  const event = z.looseObject({ event: z.string() }).safeParse(body);
  if (!event.success) return { kind: 'ignored', why: 'no event name' };
  if (event.data.event === 'message_created') {
    const m = messageCreated.safeParse(body);
    return m.success ? agentMessage(m.data) : { kind: 'ignored', why: 'message_created of an unexpected shape' };
  }
  const c = conversationEvent.safeParse(body);
  if (!c.success) return { kind: 'ignored', why: `event ${event.data.event.slice(0, 40)} not used` };
  // conversation_resolved (agent bots) says it in its name; conversation_status_changed in `status`.
  const resolved = c.data.event === 'conversation_resolved' || c.data.status === 'resolved';
  return resolved ? { kind: 'resolved', chatwootConversation: c.data.id } : { kind: 'ignored', why: 'not resolved' };
}
