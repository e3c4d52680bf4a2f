import type { ReplyChoice } from '../../core/reply-choice';
import type { GraphClient } from '../graph-client';
import { pageMessageId } from '../graph-responses';

/**
 * Messenger and Instagram optional capabilities, both through `POST /me/messages`: sender actions
 * (`mark_seen`, `typing_on`; one action per request, never together with a message) and text
 * quick replies (up to 13, titles up to 20 characters; a tap comes back as `quick_reply.payload`).
 */

const MAX_QUICK_REPLIES = 13;
const MAX_TITLE_CHARS = 20;
const MAX_PAYLOAD_CHARS = 1000;

export type SenderAction = 'mark_seen' | 'typing_on' | 'typing_off';

export async function sendSenderAction(
  graph: GraphClient,
  recipientId: string,
  action: SenderAction,
  signal?: AbortSignal,
): Promise<void> {
  await graph.post('/me/messages', { recipient: { id: recipientId }, sender_action: action }, signal);
}

export async function sendPageQuickReplies(
  graph: GraphClient,
  recipientId: string,
  text: string,
  choices: ReplyChoice[],
  signal?: AbortSignal,
): Promise<{ messageId: string | undefined } | null> {
  if (choices.length === 0) return null;
  const body = {
    recipient: { id: recipientId },
    messaging_type: 'RESPONSE',
    message: {
      text,
      quick_replies: choices.slice(0, MAX_QUICK_REPLIES).map((choice) => ({
        content_type: 'text',
        title: [...choice.title].slice(0, MAX_TITLE_CHARS).join(''),
        payload: choice.id.slice(0, MAX_PAYLOAD_CHARS),
      })),
    },
  };
  return { messageId: pageMessageId(await graph.post('/me/messages', body, signal)) };
}
