import { z } from 'zod';
import type { Acceptor } from './graph-accept';
import { textTooLong } from './graph-accept';
import type { GraphApiContext } from './graph-api';
import { graphError, nextId, type GraphReply } from './graph-reply';
import { sandboxIds } from './ids';
import { isMultipart, type UploadedFile } from './graph-body';
import { cdnUrl } from './graph-media';
import { readPageCard } from './page-cards';

const MESSENGER_UPLOAD_MAX_BYTES = 25 * 1024 * 1024;

/**
 * Messenger and Instagram `POST /{v}/me/messages`: text with quick replies, generic template
 * carousels, other attachments, Messenger's attachment upload (form data with `filedata`) and
 * sender actions, checked the way the Send API checks them.
 */

const pageSend = z.looseObject({
  recipient: z.looseObject({ id: z.string() }),
  sender_action: z.enum(['typing_on', 'typing_off', 'mark_seen', 'react', 'unreact']).optional(),
  message: z
    .looseObject({
      text: z.string().optional(),
      attachment: z.unknown().optional(),
      quick_replies: z
        .array(
          z.looseObject({
            content_type: z.string(),
            title: z.string().optional(),
            payload: z.union([z.string(), z.number()]).optional(),
          }),
        )
        .optional(),
    })
    .optional(),
});

type PageSend = z.infer<typeof pageSend>;

/** Where one send is going: the platform its token belongs to and that platform's sandbox user. */
interface PageTarget {
  platform: 'messenger' | 'instagram';
  user: string;
}

function senderAction(log: GraphApiContext['log'], accept: Acceptor, send: PageSend, target: PageTarget): GraphReply {
  const { platform, user } = target;
  if (send.message) return graphError(400, 100, 'sender_action must be sent without a message');
  if (send.sender_action === 'typing_on') accept.showTyping(platform, true, 20_000);
  if (send.sender_action === 'typing_off') accept.showTyping(platform, false, 0);
  if (send.sender_action === 'mark_seen') log.markReadUpTo(platform, undefined);
  log.log(platform, 'graph', `sender_action ${send.sender_action}`);
  return { status: 200, body: { recipient_id: user } };
}

/**
 * An attachment uploaded with the message (Messenger's "attachment upload": form data with
 * `recipient` and `message` as JSON and the bytes in `filedata`, up to 25 MB). Instagram
 * messages name their attachments by URL, so there it is refused.
 */
function uploadedAttachment(
  ctx: Pick<GraphApiContext, 'media' | 'baseUrl' | 'urlSecret'>,
  accept: Acceptor,
  { send, file }: { send: PageSend; file: UploadedFile | undefined },
  target: PageTarget,
): GraphReply {
  if (target.platform !== 'messenger')
    return graphError(400, 100, 'Instagram attachments are sent by URL (payload.url), not uploaded as filedata');
  const attachment = send.message?.attachment as { type?: unknown; payload?: { url?: unknown } } | undefined;
  if (!file || file.bytes.length === 0 || typeof attachment?.type !== 'string' || attachment.payload?.url)
    return graphError(400, 100, 'Invalid parameter: an upload needs message.attachment without a url and filedata');
  if (file.bytes.length > MESSENGER_UPLOAD_MAX_BYTES)
    return graphError(400, 100, 'Attachment size exceeds the allowable limit (25 MB)');
  const media = ctx.media.put(file.bytes, file.mimeType || 'application/octet-stream', file.filename);
  const id = nextId('m_SBX');
  const url = cdnUrl(ctx.baseUrl(), media.id, ctx.urlSecret);
  accept.acceptFile(
    target.platform,
    id,
    { media, filename: file.filename || 'file' },
    {
      attachments: [{ type: attachment.type, payload: { url } }],
    },
  );
  return { status: 200, body: { recipient_id: target.user, message_id: id } };
}

/** The form fields of an upload as the JSON body they stand for, and its file. */
function fromForm(body: unknown): { json: unknown; file?: UploadedFile } {
  if (!isMultipart(body)) return { json: body };
  const field = (name: string): unknown => {
    try {
      return JSON.parse(body.fields[name] ?? 'null');
    } catch {
      return undefined;
    }
  };
  return { json: { recipient: field('recipient'), message: field('message') }, file: body.files.filedata };
}

export function createPageMessages(
  ctx: Pick<GraphApiContext, 'tokens' | 'log' | 'media' | 'baseUrl' | 'urlSecret'>,
  accept: Acceptor,
) {
  function platformOf(token: string | undefined): PageTarget['platform'] | undefined {
    if (token === ctx.tokens.messenger) return 'messenger';
    return token === ctx.tokens.instagram ? 'instagram' : undefined;
  }

  function attachmentMessage(attachment: { type?: unknown } | undefined, { platform, user }: PageTarget): GraphReply {
    if (attachment?.type === 'template') {
      const reading = readPageCard(attachment, platform);
      if (!('card' in reading)) return accept.cardRefused(platform, reading);
      const id = nextId('m_SBX');
      accept.acceptCard(platform, id, reading.card, { attachments: [attachment] });
      return { status: 200, body: { recipient_id: user, message_id: id } };
    }
    const id = nextId('m_SBX');
    accept.acceptText(platform, id, '[attachment]');
    return { status: 200, body: { recipient_id: user, message_id: id } };
  }

  function textMessage(send: PageSend, text: string, { platform, user }: PageTarget): GraphReply {
    if (textTooLong(platform, text)) {
      const limit = platform === 'messenger' ? '2000 characters' : '1000 bytes';
      return graphError(400, 100, `Param message[text] must be at most ${limit}`);
    }
    const quickReplies = send.message?.quick_replies
      ?.filter((q) => q.content_type === 'text' && q.title)
      .map((q) => ({ title: q.title ?? '', payload: String(q.payload ?? q.title) }));
    const id = nextId('m_SBX');
    ctx.log.log(
      platform,
      'graph',
      `text sent (${[...text].length} chars${quickReplies?.length ? `, ${quickReplies.length} quick replies` : ''}) → ${id}`,
    );
    accept.acceptText(platform, id, text, quickReplies);
    return { status: 200, body: { recipient_id: user, message_id: id } };
  }

  function message(send: PageSend, target: PageTarget): GraphReply {
    if (send.sender_action) return senderAction(ctx.log, accept, send, target);
    const text = send.message?.text;
    const attachment = send.message?.attachment as { type?: unknown } | undefined;
    if (text === undefined) return attachmentMessage(attachment, target);
    return textMessage(send, text, target);
  }

  return function pageMessages(token: string | undefined, node: string, body: unknown): GraphReply {
    const platform = platformOf(token);
    if (!platform) return graphError(401, 190, 'Invalid OAuth access token - Cannot parse access token');
    const own = platform === 'messenger' ? sandboxIds.messenger.pageId : sandboxIds.instagram.igId;
    if (node !== 'me' && node !== own)
      return graphError(400, 100, `Unsupported post request. Object with ID '${node}' does not exist.`);
    const { json, file } = fromForm(body);
    const parsed = pageSend.safeParse(json);
    if (!parsed.success) return graphError(400, 100, 'Invalid parameter');
    const user = platform === 'messenger' ? sandboxIds.messenger.psid : sandboxIds.instagram.igsid;
    if (parsed.data.recipient.id !== user)
      return graphError(400, 100, 'No matching user found', { error_subcode: 2018001 });
    if (isMultipart(body)) return uploadedAttachment(ctx, accept, { send: parsed.data, file }, { platform, user });
    return message(parsed.data, { platform, user });
  };
}
