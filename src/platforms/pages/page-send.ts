import type { MessageTag } from '../../core/message-tag';
import type { GraphClient } from '../graph-client';
import { pageMessageId } from '../graph-responses';

/**
 * Messenger's and Instagram's Send API, `POST /me/messages` on the adapter's host (the Page
 * token's graph.facebook.com, or graph.instagram.com with Instagram Login); it answers
 * `{"recipient_id","message_id"}` (pages/NOTES.md).
 */

/** How each message tag is written in a Send API body. */
const TAG_FIELDS: Record<MessageTag, { messaging_type: 'MESSAGE_TAG'; tag: string }> = {
  'human-agent': { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' },
};

/**
 * One text message: as the answer to the person's message (`messaging_type: "RESPONSE"`), or,
 * with a tag, `"messaging_type": "MESSAGE_TAG"` and the tag (`HUMAN_AGENT`: an agent's reply
 * after the 24-hour window, within 7 days; pages/NOTES.md).
 */
export async function sendPageMessage(
  graph: GraphClient,
  recipientId: string,
  text: string,
  signal?: AbortSignal,
  tag?: MessageTag,
): Promise<{ messageId: string | undefined }> {
  const type = tag ? TAG_FIELDS[tag] : { messaging_type: 'RESPONSE' };
  const body = { recipient: { id: recipientId }, ...type, message: { text } };
  return { messageId: pageMessageId(await graph.post('/me/messages', body, signal)) };
}

/** Posts a body as built (a carousel or a button template; its recipient is in it). */
export async function sendPageBody(
  graph: GraphClient,
  body: Record<string, unknown>,
  signal?: AbortSignal,
): Promise<{ messageId: string | undefined }> {
  return { messageId: pageMessageId(await graph.post('/me/messages', body, signal)) };
}
