import type http from 'node:http';
import { z } from 'zod';
import type { ConversationLog } from './conversation-log';
import { sandboxIds, type SandboxPlatform } from './ids';
import { MediaStore } from './media-store';

/**
 * The Graph API endpoints Threadline calls, answered as Meta documents them (PLATFORMS.md §3-§4):
 * WhatsApp `POST /{v}/{phone_number_id}/messages` (text, read receipts with typing indicator),
 * Messenger and Instagram `POST /{v}/me/messages` (text, quick replies, sender actions),
 * WhatsApp `GET /{v}/{media-id}` and the media download URL it returns (bearer token, expires
 * after five minutes), and the no-token CDN URLs Messenger and Instagram put in webhooks.
 * Requests are checked the way Meta checks them: the token, the ids, the text limits.
 */

export interface GraphApiContext {
  tokens: Record<SandboxPlatform, string>;
  media: MediaStore;
  log: ConversationLog;
  /** the emulator's own base URL (media URLs point back at it) */
  baseUrl(): string;
  urlSecret: string;
  /** called after a business message was accepted, so Meta-side webhooks (statuses, echoes) follow */
  onBusinessMessage(platform: SandboxPlatform, id: string, text: string): void;
}

interface GraphReply {
  status: number;
  body?: unknown;
  bytes?: { data: Buffer; mimeType: string };
}

const MEDIA_URL_TTL_MS = 5 * 60 * 1000;
const LIMITS = {
  whatsapp: { max: 4096, unit: 'chars' },
  messenger: { max: 2000, unit: 'chars' },
  instagram: { max: 1000, unit: 'bytes' },
} as const;

let counter = 0;
const nextId = (prefix: string) => `${prefix}${Date.now().toString(36)}${(counter += 1).toString(36).padStart(4, '0')}`;

export function graphError(
  status: number,
  code: number,
  message: string,
  extra: Record<string, unknown> = {},
): GraphReply {
  return {
    status,
    body: {
      error: { message: `(#${code}) ${message}`, type: 'OAuthException', code, fbtrace_id: nextId('Asbx'), ...extra },
    },
  };
}

function tokenOf(req: http.IncomingMessage, url: URL): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  return url.searchParams.get('access_token') ?? undefined;
}

function textTooLong(platform: SandboxPlatform, text: string): boolean {
  const limit = LIMITS[platform];
  const size = limit.unit === 'bytes' ? Buffer.byteLength(text, 'utf8') : [...text].length;
  return size > limit.max;
}

const whatsAppSend = z.looseObject({
  messaging_product: z.literal('whatsapp'),
  to: z.string().optional(),
  type: z.string().optional(),
  text: z.looseObject({ body: z.string() }).optional(),
  status: z.literal('read').optional(),
  message_id: z.string().optional(),
  typing_indicator: z.looseObject({ type: z.literal('text') }).optional(),
});

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

export function createGraphApi(ctx: GraphApiContext) {
  const typingTimers = new Map<SandboxPlatform, NodeJS.Timeout>();

  function showTyping(platform: SandboxPlatform, on: boolean, ttlMs: number): void {
    const existing = typingTimers.get(platform);
    if (existing) clearTimeout(existing);
    typingTimers.delete(platform);
    ctx.log.typing(platform, on);
    // WhatsApp dismisses the indicator after 25 s; Messenger's lasts about 20 s.
    if (on) typingTimers.set(platform, setTimeout(() => ctx.log.typing(platform, false), ttlMs).unref());
  }

  function acceptText(
    platform: SandboxPlatform,
    id: string,
    text: string,
    quickReplies?: Array<{ title: string; payload: string }>,
  ): void {
    showTyping(platform, false, 0);
    ctx.log.add({ id, platform, from: 'bot', kind: 'text', text, quickReplies, status: 'sent', at: Date.now() });
    ctx.onBusinessMessage(platform, id, text);
  }

  function whatsAppMessages(token: string | undefined, phoneNumberId: string, body: unknown): GraphReply {
    if (token !== ctx.tokens.whatsapp)
      return graphError(401, 190, 'Error validating access token: the token is not the sandbox WhatsApp token.');
    if (phoneNumberId !== sandboxIds.whatsapp.phoneNumberId) {
      return graphError(400, 100, `Unsupported post request. Object with ID '${phoneNumberId}' does not exist.`);
    }
    const parsed = whatsAppSend.safeParse(body);
    if (!parsed.success)
      return graphError(400, 100, 'Invalid parameter', {
        error_data: { messaging_product: 'whatsapp', details: parsed.error.issues[0]?.message },
      });
    const send = parsed.data;
    if (send.status === 'read') {
      if (!send.message_id) return graphError(400, 100, 'Invalid parameter: message_id is required');
      ctx.log.markReadUpTo('whatsapp', send.message_id);
      if (send.typing_indicator) showTyping('whatsapp', true, 25_000);
      ctx.log.log(
        'whatsapp',
        'graph',
        `read receipt${send.typing_indicator ? ' + typing indicator' : ''} for ${send.message_id}`,
      );
      return { status: 200, body: { success: true } };
    }
    if (send.to !== sandboxIds.whatsapp.userWaId) return graphError(400, 131026, 'Message undeliverable');
    if (send.type !== 'text' || !send.text) {
      ctx.log.log('whatsapp', 'graph', `message of type ${send.type ?? '?'} (the sandbox page shows text only)`);
      const id = nextId('wamid.SBX');
      acceptText('whatsapp', id, `[${send.type ?? 'unknown'} message]`);
      return {
        status: 200,
        body: { messaging_product: 'whatsapp', contacts: [{ input: send.to, wa_id: send.to }], messages: [{ id }] },
      };
    }
    if (textTooLong('whatsapp', send.text.body))
      return graphError(400, 100, 'Param text[body] must be at most 4096 characters long.');
    const id = nextId('wamid.SBX');
    ctx.log.log('whatsapp', 'graph', `text sent (${[...send.text.body].length} chars) → ${id}`);
    acceptText('whatsapp', id, send.text.body);
    return {
      status: 200,
      body: { messaging_product: 'whatsapp', contacts: [{ input: send.to, wa_id: send.to }], messages: [{ id }] },
    };
  }

  function pageMessages(token: string | undefined, node: string, body: unknown): GraphReply {
    const platform: SandboxPlatform | undefined =
      token === ctx.tokens.messenger ? 'messenger' : token === ctx.tokens.instagram ? 'instagram' : undefined;
    if (!platform) return graphError(401, 190, 'Invalid OAuth access token - Cannot parse access token');
    const own = platform === 'messenger' ? sandboxIds.messenger.pageId : sandboxIds.instagram.igId;
    if (node !== 'me' && node !== own)
      return graphError(400, 100, `Unsupported post request. Object with ID '${node}' does not exist.`);
    const parsed = pageSend.safeParse(body);
    if (!parsed.success) return graphError(400, 100, 'Invalid parameter');
    const send = parsed.data;
    const user = platform === 'messenger' ? sandboxIds.messenger.psid : sandboxIds.instagram.igsid;
    if (send.recipient.id !== user) return graphError(400, 100, 'No matching user found', { error_subcode: 2018001 });
    if (send.sender_action) {
      if (send.message) return graphError(400, 100, 'sender_action must be sent without a message');
      if (send.sender_action === 'typing_on') showTyping(platform, true, 20_000);
      if (send.sender_action === 'typing_off') showTyping(platform, false, 0);
      if (send.sender_action === 'mark_seen') ctx.log.markReadUpTo(platform, undefined);
      ctx.log.log(platform, 'graph', `sender_action ${send.sender_action}`);
      return { status: 200, body: { recipient_id: user } };
    }
    const text = send.message?.text;
    if (text === undefined) {
      const id = nextId('m_SBX');
      acceptText(platform, id, '[attachment]');
      return { status: 200, body: { recipient_id: user, message_id: id } };
    }
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
    acceptText(platform, id, text, quickReplies);
    return { status: 200, body: { recipient_id: user, message_id: id } };
  }

  function mediaLookup(token: string | undefined, mediaId: string): GraphReply {
    if (token !== ctx.tokens.whatsapp) return graphError(401, 190, 'Invalid OAuth access token');
    const media = ctx.media.get(mediaId);
    if (!media)
      return graphError(400, 100, `Unsupported get request. Object with ID '${mediaId}' does not exist.`, {
        error_subcode: 33,
      });
    const expires = Date.now() + MEDIA_URL_TTL_MS;
    const url = `${ctx.baseUrl()}/whatsapp_business/attachments/?mid=${media.id}&ext=${expires}&hash=${MediaStore.urlHash(media.id, expires, ctx.urlSecret)}`;
    ctx.log.log('whatsapp', 'graph', `media lookup ${mediaId} (${media.mimeType}, ${media.bytes.length} bytes)`);
    return {
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        url,
        mime_type: media.mimeType,
        sha256: media.sha256,
        file_size: media.bytes.length,
        id: media.id,
      },
    };
  }

  /** Signed, expiring URLs: a wrong hash or an old URL answers 404, as Meta's CDN does. */
  function mediaBytes(url: URL, token: string | undefined, needsToken: boolean): GraphReply {
    const id = url.searchParams.get('mid') ?? '';
    const expires = Number(url.searchParams.get('ext'));
    const hash = url.searchParams.get('hash') ?? '';
    if (needsToken && token !== ctx.tokens.whatsapp) return graphError(401, 190, 'Invalid OAuth access token');
    const media = ctx.media.get(id);
    if (!media || hash !== MediaStore.urlHash(id, expires, ctx.urlSecret) || !(expires > Date.now())) {
      return { status: 404, body: { error: 'URL signature expired or media not found' } };
    }
    const platform: SandboxPlatform | 'system' = needsToken ? 'whatsapp' : 'system';
    ctx.log.log(platform, 'graph', `media download ${id} (${media.bytes.length} bytes)`);
    return { status: 200, bytes: { data: media.bytes, mimeType: media.mimeType } };
  }

  /** Answers one request; `body` is the parsed JSON body (undefined when none). */
  return function handle(req: http.IncomingMessage, url: URL, body: unknown): GraphReply {
    const token = tokenOf(req, url);
    const path = url.pathname;
    if (req.method === 'GET' && path === '/whatsapp_business/attachments/') return mediaBytes(url, token, true);
    if (req.method === 'GET' && path === '/cdn/attachments/') return mediaBytes(url, token, false);
    const send = /^\/v\d+\.\d+\/([^/]+)\/messages$/.exec(path);
    if (req.method === 'POST' && send) {
      const node = decodeURIComponent(send[1] ?? '');
      if (token === ctx.tokens.whatsapp) return whatsAppMessages(token, node, body);
      return pageMessages(token, node, body);
    }
    const lookup = /^\/v\d+\.\d+\/(\d+)$/.exec(path);
    if (req.method === 'GET' && lookup) return mediaLookup(token, lookup[1] ?? '');
    return graphError(400, 100, `Unknown path components: ${path}`);
  };
}

/** A CDN URL for Messenger/Instagram attachments: no token, signed, valid for a day. */
export function cdnUrl(baseUrl: string, mediaId: string, urlSecret: string): string {
  const expires = Date.now() + 24 * 3600 * 1000;
  return `${baseUrl}/cdn/attachments/?mid=${mediaId}&ext=${expires}&hash=${MediaStore.urlHash(mediaId, expires, urlSecret)}`;
}
