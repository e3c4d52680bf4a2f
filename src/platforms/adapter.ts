import type { Attachment, InboundMessage, Platform } from '../core/inbound';
import type { Citation } from '../core/citation';
import type { ProductCards } from '../core/product-card';
import type { TextLimit } from '../core/split';
import type { ReplyChoice } from '../core/reply-choice';
import type { MessageTag } from '../core/message-tag';
import type { DownloadedMedia } from '../media/download';
import type { SendFailure } from './graph-errors';
import type { Translator } from '../i18n/translator';

/**
 * What every platform module provides. The webhook route, the sender worker and the turn worker
 * reach platforms only through this interface (looked up in the registry), so adding a fourth
 * platform means one new folder and one registry line.
 */
export interface PlatformAdapter {
  readonly platform: Platform;
  /** the secret that signs this platform's webhooks */
  readonly appSecret: string;
  readonly textLimit: TextLimit;
  /**
   * Turns one delivery (already signature-checked and JSON-parsed) into the messages the bot should
   * answer. Statuses, echoes, reads, reactions and the like produce nothing. Throws
   * WebhookPayloadError when the body is not a delivery of this platform at all. Each message and
   * attachment is read on its own: what cannot be read is left out (or answered as unreadable) and
   * reported to `skipped` with the reason, never its content.
   */
  readonly parseWebhook: (body: unknown, skipped?: SkipReport) => InboundMessage[];
  /**
   * Sends one text message into the thread; resolves with the platform's id for it. `tag`: the
   * message tag it goes under (core/message-tag.ts), set only for an agent's reply on a platform
   * that has the tag; a platform without message tags has none to write.
   */
  readonly sendText: (to: ReplyAddress, text: string, signal?: AbortSignal, tag?: MessageTag) => Promise<SentMessage>;
  /** What the sender should do about a failed send, in this platform's reading of Graph's codes. */
  readonly classifySendFailure: (error: unknown) => SendFailure;
  // Optional capabilities: callers check for them and treat them as best-effort.
  /** Marks the user's message as read (a read receipt only). */
  readonly markRead?: (to: ReplyAddress, messageId: string, signal?: AbortSignal) => Promise<void>;
  /** Shows the typing indicator in the thread (and marks `messageId` read: WhatsApp ties the two). */
  readonly showTyping?: (to: ReplyAddress, messageId: string, signal?: AbortSignal) => Promise<void>;
  /** showing typing also marks the message read (WhatsApp): a turn that types needs no separate receipt */
  readonly typingMarksRead?: boolean;
  /**
   * Sends text with tappable choices (quick replies, reply buttons). Resolves null when this text
   * cannot carry choices on this platform (too long, too many choices): send it as plain text.
   */
  readonly sendChoices?: (
    to: ReplyAddress,
    text: string,
    choices: ReplyChoice[],
    signal?: AbortSignal,
  ) => Promise<SentMessage | null>;
  /**
   * The messages that show an answer's product cards in this app, as Send API bodies built with
   * every limit checked (none: the app shows no cards and the text stands alone). `body` is the
   * short line some of them carry above the products; `t` titles their buttons in the person's
   * language (English when not given).
   */
  readonly productMessages?: (to: ReplyAddress, cards: ProductCards, body: string, t?: Translator) => ProductMessage[];
  /**
   * The messages that show an answer's sources as buttons that open them (each citation has a
   * link; at most MAX_CITATION_BUTTONS), as Send API bodies sent like product messages, in the
   * person's language (`t`). Absent: the sources are lines under the answer's text.
   */
  readonly citationMessages?: (to: ReplyAddress, citations: Citation[], t: Translator) => ProductMessage[];
  /**
   * An approved message template as a Send API body (the one kind of message that may go outside
   * the 24-hour window on WhatsApp), its body parameters filled in order; sent like a product
   * message. Absent where the platform has no templates this app can send.
   */
  readonly templateMessage?: (to: ReplyAddress, template: TemplateRef, bodyParameters: string[]) => ProductMessage;
  /** Sends one message productMessages, citationMessages or templateMessage built, as it is. */
  readonly sendProductMessage?: (
    to: ReplyAddress,
    message: ProductMessage,
    signal?: AbortSignal,
  ) => Promise<SentMessage>;
  /**
   * Downloads an attachment's bytes (worker only, never on the webhook path), at most `maxBytes`,
   * from an allowed host. Throws MediaError (src/media/errors.ts) saying why not. Optional: a
   * platform without it gets a "can't open that" answer for media.
   */
  readonly fetchMedia?: (attachment: Attachment, maxBytes: number, signal?: AbortSignal) => Promise<DownloadedMedia>;
  /**
   * Sends a file into the thread (uploaded first where the platform wants that). Absent where
   * the platform cannot carry files in a chat (Instagram DMs): callers send text instead.
   */
  readonly sendFile?: (to: ReplyAddress, file: OutgoingFile, signal?: AbortSignal) => Promise<SentMessage>;
  /**
   * The locale the person set in the app (`es_LA`), where the platform tells it; undefined when it
   * does not (no permission, no profile). Asked once per person, only while their language is unknown.
   */
  readonly userLocale?: (userId: string, signal?: AbortSignal) => Promise<string | undefined>;
}

/** The most sources shown as buttons: WhatsApp sends one CTA message each, a button template holds 3. */
export const MAX_CITATION_BUTTONS = 3;

/** A file to send: a JSON export, say. */
export interface OutgoingFile {
  filename: string;
  mimeType: string;
  bytes: Buffer;
  /** a line shown with it, where the platform shows one */
  caption?: string;
}

/** An approved template: its name and language code (`reminder`, `en_US`). */
export interface TemplateRef {
  name: string;
  language: string;
}

/** A product card message: a Send API body as the platform takes it. */
export type ProductMessage = Record<string, unknown>;

/** How adapters download: the shared, allow-listed downloader with the deployment's limits applied. */
export type MediaDownloader = (request: {
  url: string;
  headers?: Record<string, string>;
  maxBytes: number;
  signal?: AbortSignal;
}) => Promise<DownloadedMedia>;

/** Where an answer goes: the thread of the message being answered. */
export interface ReplyAddress {
  channelId: string;
  userId: string;
}

export interface SentMessage {
  messageId: string | undefined;
}

/** One part of a delivery that was not used, and why (a path and a reason; never content). */
export interface SkippedElement {
  /** where in the delivery, e.g. `entry[0].messaging[1].message.attachments[0]` */
  element: string;
  reason: string;
}
export type SkipReport = (skipped: SkippedElement) => void;

export class WebhookPayloadError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WebhookPayloadError';
  }
}
