import { z } from 'zod';
import type { Acceptor } from './graph-accept';
import { textTooLong } from './graph-accept';
import type { GraphApiContext } from './graph-api';
import { graphError, nextId, type GraphReply } from './graph-reply';
import { sandboxIds } from './ids';
import type { MediaStore } from './media-store';
import { readReplyButtons } from './whatsapp-buttons';
import { readWhatsAppCard, WHATSAPP_CARD_TYPES } from './whatsapp-cards';

/**
 * WhatsApp `POST /{v}/{phone_number_id}/messages`: text, reply buttons, product messages
 * (`product`, `product_list`, `cta_url`), documents uploaded through `/media` (graph-uploads.ts)
 * and read receipts with the typing indicator, checked the way Cloud API checks them.
 */

const whatsAppSend = z.looseObject({
  messaging_product: z.literal('whatsapp'),
  to: z.string().optional(),
  type: z.string().optional(),
  text: z.looseObject({ body: z.string() }).optional(),
  interactive: z.looseObject({ type: z.string() }).optional(),
  status: z.literal('read').optional(),
  message_id: z.string().optional(),
  typing_indicator: z.looseObject({ type: z.literal('text') }).optional(),
  document: z
    .looseObject({
      id: z.string().optional(),
      link: z.string().optional(),
      filename: z.string().optional(),
      caption: z.string().max(1024).optional(),
    })
    .optional(),
});

type WhatsAppSend = z.infer<typeof whatsAppSend>;

/** Cloud API's answer to an accepted message. */
function sent(to: string | undefined, id: string): GraphReply {
  return {
    status: 200,
    body: { messaging_product: 'whatsapp', contacts: [{ input: to, wa_id: to }], messages: [{ id }] },
  };
}

function readReceipt(log: GraphApiContext['log'], accept: Acceptor, send: WhatsAppSend): GraphReply {
  if (!send.message_id) return graphError(400, 100, 'Invalid parameter: message_id is required');
  log.markReadUpTo('whatsapp', send.message_id);
  if (send.typing_indicator) accept.showTyping('whatsapp', true, 25_000);
  log.log(
    'whatsapp',
    'graph',
    `read receipt${send.typing_indicator ? ' + typing indicator' : ''} for ${send.message_id}`,
  );
  return { status: 200, body: { success: true } };
}

/**
 * A document sent by the media id an upload answered; undefined for one sent by `link`, which
 * the page cannot fetch (drawn as a placeholder).
 */
function documentMessage(media: MediaStore, accept: Acceptor, send: WhatsAppSend): GraphReply | undefined {
  const document = send.document;
  if (!document?.id) return undefined;
  const stored = media.get(document.id);
  if (!stored) return graphError(400, 100, `Invalid parameter: document.id ${document.id} is not an uploaded media id`);
  const id = nextId('wamid.SBX');
  const filename = document.filename ?? stored.filename ?? 'document';
  accept.acceptFile('whatsapp', id, { media: stored, filename, caption: document.caption }, { text: '' });
  return sent(send.to, id);
}

export function createWhatsAppMessages(
  ctx: Pick<GraphApiContext, 'tokens' | 'log' | 'catalog' | 'media'>,
  accept: Acceptor,
) {
  function productMessage(send: WhatsAppSend): GraphReply {
    const reading = readWhatsAppCard(send.interactive, ctx.catalog());
    if (!('card' in reading)) return accept.cardRefused('whatsapp', reading);
    const id = nextId('wamid.SBX');
    // WhatsApp sends statuses, not echoes, so what the echo would carry does not matter here.
    accept.acceptCard('whatsapp', id, reading.card, { text: '' });
    return sent(send.to, id);
  }

  function replyButtons(send: WhatsAppSend): GraphReply {
    const reading = readReplyButtons(send.interactive);
    if (!('text' in reading)) return accept.cardRefused('whatsapp', reading);
    const id = nextId('wamid.SBX');
    ctx.log.log('whatsapp', 'graph', `reply buttons sent (${reading.buttons.length}) → ${id}`);
    accept.acceptText('whatsapp', id, reading.text, reading.buttons);
    return sent(send.to, id);
  }

  /** Types the page does not draw are still accepted, as Cloud API would, and shown as a placeholder. */
  function undrawnMessage(send: WhatsAppSend): GraphReply {
    ctx.log.log('whatsapp', 'graph', `message of type ${send.type ?? '?'} (the sandbox page does not draw it)`);
    const id = nextId('wamid.SBX');
    accept.acceptText('whatsapp', id, `[${send.type ?? 'unknown'} message]`);
    return sent(send.to, id);
  }

  function textMessage(send: WhatsAppSend, body: string): GraphReply {
    if (textTooLong('whatsapp', body))
      return graphError(400, 100, 'Param text[body] must be at most 4096 characters long.');
    const id = nextId('wamid.SBX');
    ctx.log.log('whatsapp', 'graph', `text sent (${[...body].length} chars) → ${id}`);
    accept.acceptText('whatsapp', id, body);
    return sent(send.to, id);
  }

  function message(send: WhatsAppSend): GraphReply {
    if (send.to !== sandboxIds.whatsapp.userWaId) return graphError(400, 131026, 'Message undeliverable');
    if (send.type === 'interactive' && WHATSAPP_CARD_TYPES.includes(send.interactive?.type ?? ''))
      return productMessage(send);
    if (send.type === 'interactive' && send.interactive?.type === 'button') return replyButtons(send);
    if (send.type === 'document') return documentMessage(ctx.media, accept, send) ?? undrawnMessage(send);
    if (send.type !== 'text' || !send.text) return undrawnMessage(send);
    return textMessage(send, send.text.body);
  }

  return function whatsAppMessages(token: string | undefined, phoneNumberId: string, body: unknown): GraphReply {
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
    return parsed.data.status === 'read' ? readReceipt(ctx.log, accept, parsed.data) : message(parsed.data);
  };
}
