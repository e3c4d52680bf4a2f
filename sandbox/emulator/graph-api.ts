import type http from 'node:http';
import { z } from 'zod';
import { readPageCard } from './page-cards';
import type { CardReading, CardView, EmulatorCatalog } from './card-views';
import type { ConversationLog } from './conversation-log';
import { sandboxIds, type SandboxPlatform } from './ids';
import { catalogNode, catalogProducts } from './graph-catalog-edge';
import { createMediaRoutes } from './graph-media';
import { graphError, nextId, type GraphReply } from './graph-reply';
import type { MediaStore } from './media-store';
import { readReplyButtons } from './whatsapp-buttons';
import { readWhatsAppCard, WHATSAPP_CARD_TYPES } from './whatsapp-cards';

/**
 * The Graph API endpoints Threadline calls, answered as Meta documents them (PLATFORMS.md §3-§4):
 * WhatsApp `POST /{v}/{phone_number_id}/messages` (text, read receipts with typing indicator),
 * product messages (`product`, `product_list`, `cta_url`), Messenger and Instagram
 * `POST /{v}/me/messages` (text, quick replies, generic template carousels, sender actions),
 * media lookups and downloads (graph-media.ts), and the Commerce Manager catalog edge
 * (graph-catalog-edge.ts). Requests are checked the way Meta checks them: the token, the ids, the
 * text limits, the product messages' limits.
 */

export interface GraphApiContext {
  tokens: Record<SandboxPlatform, string>;
  media: MediaStore;
  log: ConversationLog;
  /** the emulator's own base URL (media URLs point back at it) */
  baseUrl(): string;
  urlSecret: string;
  /** the business's Commerce Manager catalog, which WhatsApp product messages name items of */
  catalog(): EmulatorCatalog | undefined;
  /** called after a business message was accepted, so Meta-side webhooks (statuses, echoes) follow */
  onBusinessMessage(platform: SandboxPlatform, id: string, content: BusinessContent): void;
}

/** What the business sent, as Messenger and Instagram echo it back. */
export type BusinessContent = { text: string } | { attachments: unknown[] };

const LIMITS = {
  whatsapp: { max: 4096, unit: 'chars' },
  messenger: { max: 2000, unit: 'chars' },
  instagram: { max: 1000, unit: 'bytes' },
} as const;

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
  interactive: z.looseObject({ type: z.string() }).optional(),
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
  const { mediaLookup, mediaBytes } = createMediaRoutes(ctx);

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
    ctx.onBusinessMessage(platform, id, { text });
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
    if (send.type === 'interactive' && WHATSAPP_CARD_TYPES.includes(send.interactive?.type ?? '')) {
      const reading = readWhatsAppCard(send.interactive, ctx.catalog());
      if (!('card' in reading)) return cardRefused('whatsapp', reading);
      const id = nextId('wamid.SBX');
      // WhatsApp sends statuses, not echoes, so what the echo would carry does not matter here.
      acceptCard('whatsapp', id, reading.card, { text: '' });
      return {
        status: 200,
        body: { messaging_product: 'whatsapp', contacts: [{ input: send.to, wa_id: send.to }], messages: [{ id }] },
      };
    }
    if (send.type === 'interactive' && send.interactive?.type === 'button') {
      const reading = readReplyButtons(send.interactive);
      if (!('text' in reading)) return cardRefused('whatsapp', reading);
      const id = nextId('wamid.SBX');
      ctx.log.log('whatsapp', 'graph', `reply buttons sent (${reading.buttons.length}) → ${id}`);
      acceptText('whatsapp', id, reading.text, reading.buttons);
      return {
        status: 200,
        body: { messaging_product: 'whatsapp', contacts: [{ input: send.to, wa_id: send.to }], messages: [{ id }] },
      };
    }
    if (send.type !== 'text' || !send.text) {
      ctx.log.log('whatsapp', 'graph', `message of type ${send.type ?? '?'} (the sandbox page does not draw it)`);
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
    const attachment = send.message?.attachment as { type?: unknown } | undefined;
    if (text === undefined && attachment?.type === 'template') {
      const reading = readPageCard(attachment, platform);
      if (!('card' in reading)) return cardRefused(platform, reading);
      const id = nextId('m_SBX');
      acceptCard(platform, id, reading.card, { attachments: [attachment] });
      return { status: 200, body: { recipient_id: user, message_id: id } };
    }
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

  function acceptCard(platform: SandboxPlatform, id: string, card: CardView, echo: BusinessContent): void {
    showTyping(platform, false, 0);
    ctx.log.add({ id, platform, from: 'bot', kind: 'card', card, status: 'sent', at: Date.now() });
    const count = card.type === 'carousel' ? `${card.elements.length} cards` : card.type;
    ctx.log.log(platform, 'graph', `product message accepted (${count}) → ${id}`);
    ctx.onBusinessMessage(platform, id, echo);
  }

  /** A card body Graph would refuse gets Graph's error; the page shows nothing, as the app would. */
  function cardRefused(platform: SandboxPlatform, reading: Exclude<CardReading, { card: CardView }>): GraphReply {
    ctx.log.log(platform, 'graph', `product message refused: (#${reading.code}) ${reading.message}`);
    const extra =
      platform === 'whatsapp' ? { error_data: { messaging_product: 'whatsapp', details: reading.message } } : {};
    return graphError(400, reading.code, reading.message, extra);
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
    const catalog = ctx.catalog();
    const catalogPath = catalog && /^\/v\d+\.\d+\/(\d+)(\/products)?$/.exec(path);
    if (req.method === 'GET' && catalog && catalogPath?.[1] === catalog.id) {
      if (!Object.values(ctx.tokens).includes(token ?? '')) return graphError(401, 190, 'Invalid OAuth access token');
      return catalogPath[2] ? catalogProducts(catalog, url, ctx.baseUrl()) : catalogNode(catalog);
    }
    const lookup = /^\/v\d+\.\d+\/(\d+)$/.exec(path);
    if (req.method === 'GET' && lookup) return mediaLookup(token, lookup[1] ?? '');
    return graphError(400, 100, `Unknown path components: ${path}`);
  };
}
