import type http from 'node:http';
import type { EmulatorCatalog } from './card-views';
import type { ConversationLog } from './conversation-log';
import type { SandboxPlatform } from './ids';
import { createAcceptor } from './graph-accept';
import { catalogNode, catalogProducts } from './graph-catalog-edge';
import { createMediaRoutes } from './graph-media';
import { createPageMessages } from './graph-page-messages';
import { graphError, type GraphReply } from './graph-reply';
import { createWhatsAppMediaUpload } from './graph-uploads';
import { createWhatsAppMessages } from './graph-whatsapp-messages';
import type { MediaStore } from './media-store';

/**
 * The Graph API endpoints Threadline calls, answered as Meta documents them (the sending and media
 * sections of src/platforms/whatsapp/NOTES.md and src/platforms/pages/NOTES.md): WhatsApp
 * `POST /{v}/{phone_number_id}/messages` (text, read receipts with typing indicator), product
 * messages (`product`, `product_list`, `cta_url`) and documents in graph-whatsapp-messages.ts,
 * uploads to `POST /{v}/{phone_number_id}/media` (graph-uploads.ts), Messenger and Instagram
 * `POST /{v}/me/messages` (text, quick replies, generic template carousels, sender actions) in
 * graph-page-messages.ts, media lookups and downloads (graph-media.ts), and the Commerce Manager
 * catalog edge (graph-catalog-edge.ts). Requests are checked the way Meta checks them: the token,
 * the ids, the text limits, the product messages' limits.
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

function tokenOf(req: http.IncomingMessage, url: URL): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice('Bearer '.length).trim();
  return url.searchParams.get('access_token') ?? undefined;
}

export function createGraphApi(ctx: GraphApiContext) {
  const { mediaLookup, mediaBytes } = createMediaRoutes(ctx);
  const accept = createAcceptor(ctx);
  const whatsAppMessages = createWhatsAppMessages(ctx, accept);
  const pageMessages = createPageMessages(ctx, accept);
  const whatsAppMediaUpload = createWhatsAppMediaUpload(ctx);

  /** Answers one request; `body` is what readGraphBody made of it (JSON, form data, or undefined). */
  return function handle(req: http.IncomingMessage, url: URL, body: unknown): GraphReply {
    const token = tokenOf(req, url);
    const path = url.pathname;
    if (req.method === 'GET' && path === '/whatsapp_business/attachments/') return mediaBytes(url, token, true);
    if (req.method === 'GET' && path === '/cdn/attachments/') return mediaBytes(url, token, false);
    const upload = /^\/v\d+\.\d+\/([^/]+)\/media$/.exec(path);
    if (req.method === 'POST' && upload) return whatsAppMediaUpload(token, decodeURIComponent(upload[1] ?? ''), body);
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
