import type { BusinessContent, GraphApiContext } from './graph-api';
import type { CardReading, CardView } from './card-views';
import { graphError, type GraphReply } from './graph-reply';
import type { SandboxPlatform } from './ids';
import type { StoredMedia } from './media-store';

/**
 * What every accepted or refused business message does on the emulator's side, whichever send
 * endpoint it came through: the typing indicator stops, the message joins the conversation log, and
 * Meta-side webhooks (statuses, echoes) follow.
 */

const LIMITS = {
  whatsapp: { max: 4096, unit: 'chars' },
  messenger: { max: 2000, unit: 'chars' },
  instagram: { max: 1000, unit: 'bytes' },
} as const;

export function textTooLong(platform: SandboxPlatform, text: string): boolean {
  const limit = LIMITS[platform];
  const size = limit.unit === 'bytes' ? Buffer.byteLength(text, 'utf8') : [...text].length;
  return size > limit.max;
}

export type QuickReplies = Array<{ title: string; payload: string }>;

/** A file as the person receives it: the stored bytes, the name shown, a caption where the app shows one. */
export interface SentFile {
  media: StoredMedia;
  filename: string;
  caption?: string;
}

export type Acceptor = ReturnType<typeof createAcceptor>;

export function createAcceptor(ctx: Pick<GraphApiContext, 'log' | 'onBusinessMessage'>) {
  const typingTimers = new Map<SandboxPlatform, NodeJS.Timeout>();

  function showTyping(platform: SandboxPlatform, on: boolean, ttlMs: number): void {
    const existing = typingTimers.get(platform);
    if (existing) clearTimeout(existing);
    typingTimers.delete(platform);
    ctx.log.typing(platform, on);
    // WhatsApp dismisses the indicator after 25 s; Messenger's lasts about 20 s.
    if (on) typingTimers.set(platform, setTimeout(() => ctx.log.typing(platform, false), ttlMs).unref());
  }

  function acceptText(platform: SandboxPlatform, id: string, text: string, quickReplies?: QuickReplies): void {
    showTyping(platform, false, 0);
    ctx.log.add({ id, platform, from: 'bot', kind: 'text', text, quickReplies, status: 'sent', at: Date.now() });
    ctx.onBusinessMessage(platform, id, { text });
  }

  function acceptCard(platform: SandboxPlatform, id: string, card: CardView, echo: BusinessContent): void {
    showTyping(platform, false, 0);
    ctx.log.add({ id, platform, from: 'bot', kind: 'card', card, status: 'sent', at: Date.now() });
    const count = card.type === 'carousel' ? `${card.elements.length} cards` : card.type;
    ctx.log.log(platform, 'graph', `product message accepted (${count}) → ${id}`);
    ctx.onBusinessMessage(platform, id, echo);
  }

  /** A file the business sent (a WhatsApp document, a Messenger file): the page offers it for download. */
  function acceptFile(platform: SandboxPlatform, id: string, file: SentFile, echo: BusinessContent): void {
    showTyping(platform, false, 0);
    const { media, filename, caption } = file;
    ctx.log.add({
      id,
      platform,
      from: 'bot',
      kind: 'file',
      mediaId: media.id,
      mimeType: media.mimeType,
      size: media.bytes.length,
      filename,
      text: caption,
      status: 'sent',
      at: Date.now(),
    });
    ctx.log.log(platform, 'graph', `file sent: ${filename} (${media.mimeType}, ${media.bytes.length} bytes) → ${id}`);
    ctx.onBusinessMessage(platform, id, echo);
  }

  /** A card body Graph would refuse gets Graph's error; the page shows nothing, as the app would. */
  function cardRefused(platform: SandboxPlatform, reading: Exclude<CardReading, { card: CardView }>): GraphReply {
    ctx.log.log(platform, 'graph', `product message refused: (#${reading.code}) ${reading.message}`);
    const extra =
      platform === 'whatsapp' ? { error_data: { messaging_product: 'whatsapp', details: reading.message } } : {};
    return graphError(400, reading.code, reading.message, extra);
  }

  return { showTyping, acceptText, acceptCard, acceptFile, cardRefused };
}
