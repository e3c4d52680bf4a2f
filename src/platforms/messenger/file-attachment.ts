import type { OutgoingFile, ReplyAddress, SentMessage } from '../adapter';
import type { GraphClient } from '../graph-client';
import { pageMessageId } from '../graph-responses';

/**
 * A file as a Messenger `file` attachment, uploaded with the message itself: the Send API takes
 * form data with `recipient`, `message` (an attachment of type `file` without a URL) and the
 * bytes in `filedata` (Meta's "saving assets" page; up to 25 MB). Not reusable: an export is
 * sent once, to one person.
 */
export async function sendMessengerFile(
  graph: GraphClient,
  to: ReplyAddress,
  file: OutgoingFile,
  signal?: AbortSignal,
): Promise<SentMessage> {
  const form = new FormData();
  form.append('recipient', JSON.stringify({ id: to.userId }));
  form.append('messaging_type', 'RESPONSE');
  form.append('message', JSON.stringify({ attachment: { type: 'file', payload: { is_reusable: false } } }));
  form.append('filedata', new Blob([file.bytes], { type: file.mimeType }), file.filename);
  return { messageId: pageMessageId(await graph.postForm('/me/messages', form, signal)) };
}
