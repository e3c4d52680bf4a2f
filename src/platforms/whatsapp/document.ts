import type { OutgoingFile, ReplyAddress, SentMessage } from '../adapter';
import { pathSegment, type GraphClient } from '../graph-client';
import { whatsAppMessageId, whatsAppUploadResponse } from '../graph-responses';

/**
 * A file as a WhatsApp `document` message: uploaded with `POST /{phone-number-id}/media`
 * (multipart: `messaging_product`, `type`, `file`), which answers with a media id, then sent
 * with `type: "document"` naming that id. WhatsApp takes documents only in a few types
 * (text/plain, PDF, Office): anything textual, JSON included, goes up as text/plain under its
 * own file name, which is what the person sees and saves.
 */
const DOCUMENT_TYPES = new Set([
  'text/plain',
  'application/pdf',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
]);

export async function sendWhatsAppDocument(
  graph: GraphClient,
  to: ReplyAddress,
  file: OutgoingFile,
  signal?: AbortSignal,
): Promise<SentMessage> {
  const type = DOCUMENT_TYPES.has(file.mimeType) ? file.mimeType : 'text/plain';
  const form = new FormData();
  form.append('messaging_product', 'whatsapp');
  form.append('type', type);
  form.append('file', new Blob([file.bytes], { type }), file.filename);
  const phoneNumber = pathSegment(to.channelId);
  const uploaded = whatsAppUploadResponse.safeParse(await graph.postForm(`/${phoneNumber}/media`, form, signal));
  if (!uploaded.success) throw new Error('WhatsApp media upload answered without an id');
  const body = {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: to.userId,
    type: 'document',
    document: { id: uploaded.data.id, filename: file.filename, ...(file.caption ? { caption: file.caption } : {}) },
  };
  const response = await graph.post(`/${phoneNumber}/messages`, body, signal);
  return { messageId: whatsAppMessageId(response) };
}
