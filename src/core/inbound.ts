import { z } from 'zod';

/**
 * The platform-neutral message every adapter produces and every worker consumes. It is plain JSON
 * (no classes, no Dates) so it rides a BullMQ job unchanged; the schema re-validates it when a
 * worker reads it back, because job data is bytes from Redis like any other input.
 */

export const platformNames = ['whatsapp', 'messenger', 'instagram'] as const;
export const platformSchema = z.enum(platformNames);
export type Platform = z.infer<typeof platformSchema>;

/** Media is carried by reference; whoever needs the bytes fetches them (never the webhook). */
export const attachmentSchema = z.object({
  kind: z.enum(['audio', 'image', 'document', 'video']),
  /** WhatsApp media id (resolved through Graph) */
  mediaId: z.string().optional(),
  /** direct URL (Messenger/Instagram CDN, or WhatsApp's webhook `url` when present) */
  url: z.string().optional(),
  mimeType: z.string().optional(),
  /** WhatsApp: recorded with the voice-note button */
  voice: z.boolean().optional(),
  /** a document's file name as the sender's app gave it (told to the model, never trusted for the type) */
  fileName: z.string().max(512).optional(),
  /** an image that is a sticker: looked at, answered briefly, never waited on for a question */
  sticker: z.boolean().optional(),
});
export type Attachment = z.infer<typeof attachmentSchema>;

/** A WhatsApp cart the person sent from the business's catalog (`type: "order"`). */
export const orderSchema = z.object({
  catalogId: z.string().optional(),
  /** what the person wrote with the order */
  text: z.string().optional(),
  items: z
    .array(
      z.object({
        productRetailerId: z.string().min(1),
        quantity: z.number().int().positive(),
        itemPrice: z.number().nonnegative(),
        currency: z.string().min(1),
      }),
    )
    .min(1),
});
export type Order = z.infer<typeof orderSchema>;

/**
 * A platform's word on who answers a conversation, delivered like a message but never answered:
 * another app or a person took the thread (`taken`: Messenger's and Instagram's
 * `take_thread_control`, a message delivered on `standby` while another app owns the thread,
 * WhatsApp's `control_taken`), it came back to this app (`given-back`: `pass_thread_control` /
 * `control_passed` to us), or the business itself wrote to the person (`business-echo`: a reply
 * typed in the WhatsApp Business app on a coexistence number). The worker turns it into a pause
 * or a return.
 */
export const controlSchema = z.object({
  kind: z.enum(['taken', 'given-back', 'business-echo']),
  /** how the platform said it: a handover event, a standby delivery, an echo of a business message */
  via: z.enum(['handover', 'standby', 'echo']),
  /** the app that holds the thread now, where the platform names it */
  ownerAppId: z.string().optional(),
  /** the handover's metadata, as the app that moved the thread set it */
  metadata: z.string().optional(),
  /** what the business or its agent wrote (an echo), for the history: never the person's words */
  businessText: z.string().optional(),
});
export type Control = z.infer<typeof controlSchema>;

/** A place the person shared (WhatsApp `location`, Messenger `location` where still delivered). */
export const sharedLocationSchema = z.object({
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  name: z.string().max(1000).optional(),
  address: z.string().max(1000).optional(),
  url: z.string().max(2000).optional(),
});
export type SharedLocation = z.infer<typeof sharedLocationSchema>;

/**
 * An emoji reaction to an earlier message: feedback on an answer, never a turn of its own.
 * `emoji` is empty when the person took their reaction back.
 */
export const reactionSchema = z.object({
  /** the platform's id of the message reacted to */
  messageId: z.string().optional(),
  emoji: z.string().max(64),
});
export type Reaction = z.infer<typeof reactionSchema>;

export const inboundMessageSchema = z.object({
  platform: platformSchema,
  /** the platform's message id (wamid / mid): the idempotency key */
  id: z.string().min(1),
  /** the business side of the thread: WhatsApp phone_number_id, Page id, Instagram account id */
  channelId: z.string().min(1),
  /** who wrote: WhatsApp wa_id or business-scoped user id, PSID, IGSID. Replies go here. */
  userId: z.string().min(1),
  userName: z.string().optional(),
  /** milliseconds since the epoch, as the platform stamped it */
  timestamp: z.number().int().nonnegative(),
  text: z.string().optional(),
  attachments: z.array(attachmentSchema).default([]),
  /**
   * Set when the user sent something the bot cannot read (video, sticker, location, ...): the
   * platform's own name for it. The turn answers with a short explanation instead of calling a model.
   */
  unsupported: z.string().optional(),
  /**
   * The platform's name for a part that came with readable content but could not be read itself
   * (a sticker beside text, an attachment with no type): the answer says it was left out.
   */
  leftOut: z.string().optional(),
  /** a tapped quick reply / button / postback payload */
  payload: z.string().optional(),
  /**
   * Messenger/Instagram postback: a tapped button of a template, the persistent menu, Get Started
   * or an ice breaker. `text` is the button's title, `payload` what the button carried.
   */
  postback: z.boolean().optional(),
  replyToId: z.string().optional(),
  order: orderSchema.optional(),
  location: sharedLocationSchema.optional(),
  reaction: reactionSchema.optional(),
  /** contact cards the person shared: only their count rides the job, never their contents */
  contactCards: z.number().int().positive().optional(),
  /** WhatsApp: the person tapped "Message business" on this catalog product before writing */
  referredProduct: z.object({ catalogId: z.string().optional(), productRetailerId: z.string().min(1) }).optional(),
  /**
   * Set on an event about who answers the conversation (see controlSchema): the turn never
   * answers it. A person's message delivered on standby keeps its `text` beside it.
   */
  control: controlSchema.optional(),
});
export type InboundMessage = z.infer<typeof inboundMessageSchema>;

/** The conversation a message belongs to: one per user per business channel per platform. */
export function conversationKey(message: Pick<InboundMessage, 'platform' | 'channelId' | 'userId'>): string {
  return `${message.platform}:${message.channelId}:${message.userId}`;
}

/**
 * Unique across platforms: a message's name in its inbox, the answer ledger and per-message keys,
 * and what its BullMQ job id is hashed from (src/queues/jobs.ts), so a redelivery is not enqueued
 * twice. Messenger mids contain ':', which separates the parts of key names, so ':' (and '%') are
 * escaped.
 */
export function messageKey(message: Pick<InboundMessage, 'platform' | 'id'>): string {
  return `${message.platform}-${message.id.replace(/%/g, '%25').replace(/:/g, '%3A')}`;
}
