import type { ReplyChoice } from '../../core/reply-choice';
import type { ReplyAddress, SentMessage } from '../adapter';
import { pathSegment, type GraphClient } from '../graph-client';
import { whatsAppMessageId } from '../graph-responses';

/**
 * WhatsApp's optional capabilities: read receipts, the typing indicator and reply buttons.
 * All go to `POST /{phone_number_id}/messages`, as the Cloud API documents them.
 */

// Reply buttons: "up to 3 buttons", body text "maximum 1024 characters", title "maximum 20 characters".
const MAX_BUTTONS = 3;
const MAX_BODY_CHARS = 1024;
const MAX_TITLE_CHARS = 20;
const MAX_ID_CHARS = 256;

const messagesPath = (to: ReplyAddress) => `/${pathSegment(to.channelId)}/messages`;

export async function markWhatsAppRead(
  graph: GraphClient,
  to: ReplyAddress,
  messageId: string,
  signal?: AbortSignal,
): Promise<void> {
  await graph.post(messagesPath(to), { messaging_product: 'whatsapp', status: 'read', message_id: messageId }, signal);
}

/** The indicator shows until the reply is sent or for 25 s, whichever comes first; it also marks the message read. */
export async function showWhatsAppTyping(
  graph: GraphClient,
  to: ReplyAddress,
  messageId: string,
  signal?: AbortSignal,
): Promise<void> {
  await graph.post(
    messagesPath(to),
    { messaging_product: 'whatsapp', status: 'read', message_id: messageId, typing_indicator: { type: 'text' } },
    signal,
  );
}

export async function sendWhatsAppButtons(
  graph: GraphClient,
  to: ReplyAddress,
  text: string,
  choices: ReplyChoice[],
  signal?: AbortSignal,
): Promise<SentMessage | null> {
  if (choices.length === 0 || text.length > MAX_BODY_CHARS) return null;
  const body = {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: to.userId,
    type: 'interactive',
    interactive: {
      type: 'button',
      body: { text },
      action: {
        buttons: choices.slice(0, MAX_BUTTONS).map((choice) => ({
          type: 'reply',
          reply: { id: choice.id.slice(0, MAX_ID_CHARS), title: [...choice.title].slice(0, MAX_TITLE_CHARS).join('') },
        })),
      },
    },
  };
  const response = await graph.post(messagesPath(to), body, signal);
  return { messageId: whatsAppMessageId(response) };
}
