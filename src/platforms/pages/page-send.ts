import type { GraphClient } from '../graph-client';
import { pageMessageId } from '../graph-responses';

/**
 * Messenger's and Instagram's Send API, `POST /me/messages` on the adapter's host (the Page
 * token's graph.facebook.com, or graph.instagram.com with Instagram Login); it answers
 * `{"recipient_id","message_id"}` (pages/NOTES.md).
 */

/** One text message, as the answer to the person's message (`messaging_type: "RESPONSE"`). */
export async function sendPageMessage(
  graph: GraphClient,
  recipientId: string,
  text: string,
  signal?: AbortSignal,
): Promise<{ messageId: string | undefined }> {
  const body = { recipient: { id: recipientId }, messaging_type: 'RESPONSE', message: { text } };
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
