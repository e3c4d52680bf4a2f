import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmulatorCatalog } from './card-views';
import { ConversationLog, type ChatItem } from './conversation-log';
import { createGraphApi, type BusinessContent } from './graph-api';
import { cdnUrl } from './graph-media';
import { graphRequestHandler } from './graph-server';
import type { SandboxPlatform } from './ids';
import { MediaStore } from './media-store';
import {
  pageDeliveryEvent,
  pageEchoEvent,
  pageMessageEvent,
  pagePostbackEvent,
  pageReadEvent,
  whatsAppMessageValue,
  whatsAppStatusValue,
  whatsAppUserContent,
} from './payloads';
import { WebhookDelivery } from './webhook-delivery';

export interface MetaEmulatorOptions {
  appSecret: string;
  instagramAppSecret?: string;
  verifyToken: string;
  tokens: Record<SandboxPlatform, string>;
  /** Threadline's web process; may be set later with `connect()` */
  webhookBaseUrl?: string;
  /** ms between a reply and the user "reading" it (status webhooks) */
  readAfterMs?: number;
  retryDelaysMs?: number[];
  /** the business's Commerce Manager catalog, for WhatsApp product messages */
  catalog?: EmulatorCatalog;
}

/** What a sandbox user sends from the page. */
export type UserInput =
  | { kind: 'text'; text: string; quickReplyPayload?: string }
  | { kind: 'image' | 'audio'; bytes: Buffer; mimeType: string; caption?: string; voice?: boolean };

const MAX_MEDIA_BYTES = 25 * 1024 * 1024;

/**
 * A local stand-in for Meta: the Graph API on its own loopback port, and the user's side of the
 * three conversations (messages go to Threadline as signed webhooks). Threadline reaches it through
 * GRAPH_API_URL / INSTAGRAM_GRAPH_API_URL only.
 */
export class MetaEmulator {
  readonly log = new ConversationLog();
  readonly media = new MediaStore();
  private readonly urlSecret = MediaStore.newSecret();
  private server: http.Server | undefined;
  private delivery: WebhookDelivery;
  private webhookBaseUrl: string;
  url = '';
  /** the catalog WhatsApp product messages are checked against; set once the page's origin is known */
  catalog: EmulatorCatalog | undefined;
  private counter = 0;

  constructor(private readonly options: MetaEmulatorOptions) {
    this.webhookBaseUrl = options.webhookBaseUrl ?? '';
    this.catalog = options.catalog;
    this.delivery = this.createDelivery();
  }

  async start(port = 0): Promise<this> {
    const graph = createGraphApi({
      tokens: this.options.tokens,
      media: this.media,
      log: this.log,
      baseUrl: () => this.url,
      urlSecret: this.urlSecret,
      catalog: () => this.catalog,
      onBusinessMessage: (platform, id, content) => this.afterBusinessMessage(platform, id, content),
    });
    this.server = http.createServer(graphRequestHandler(graph));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Points webhook deliveries at Threadline's web process. */
  connect(webhookBaseUrl: string): void {
    this.webhookBaseUrl = webhookBaseUrl;
  }

  secretFor(platform: SandboxPlatform): string {
    return platform === 'instagram'
      ? (this.options.instagramAppSecret ?? this.options.appSecret)
      : this.options.appSecret;
  }

  /** The GET handshake Meta's dashboard performs on "Verify and save". */
  async verifyWebhook(platform: SandboxPlatform): Promise<{ ok: boolean; status: number }> {
    const challenge = String(Math.floor(Math.random() * 1e9));
    const query = new URLSearchParams({
      'hub.mode': 'subscribe',
      'hub.verify_token': this.options.verifyToken,
      'hub.challenge': challenge,
    });
    const response = await fetch(`${this.webhookBaseUrl}/webhooks/${platform}?${query.toString()}`);
    const text = await response.text();
    const ok = response.status === 200 && text === challenge;
    this.log.log(platform, 'webhook', `GET handshake → ${response.status}${ok ? ' (challenge echoed)' : ''}`);
    return { ok, status: response.status };
  }

  /** The sandbox user sends something on `platform`; resolves with the platform's message id. */
  send(platform: SandboxPlatform, input: UserInput): ChatItem {
    const now = Date.now();
    this.counter += 1;
    const id =
      platform === 'whatsapp'
        ? `wamid.SBXU${now.toString(36)}${this.counter.toString(36)}`
        : `m_SBXU${now.toString(36)}${this.counter.toString(36)}`;
    const item: ChatItem = { id, platform, from: 'user', kind: input.kind, status: 'sending', at: now };
    if (input.kind === 'text') {
      item.text = input.text;
    } else {
      if (input.bytes.length > MAX_MEDIA_BYTES) throw new RangeError('media larger than 25 MB');
      const media = this.media.put(input.bytes, input.mimeType);
      Object.assign(item, {
        mediaId: media.id,
        mimeType: input.mimeType,
        size: input.bytes.length,
        voice: input.voice,
        text: input.caption,
      });
    }
    this.log.add(item);

    if (platform === 'whatsapp') {
      this.delivery.enqueue({
        platform,
        value: whatsAppMessageValue(id, whatsAppUserContent(input, this.media.get(item.mediaId ?? '')), now),
        messageId: id,
      });
    } else if (input.kind === 'text') {
      const message = input.quickReplyPayload
        ? { mid: id, text: input.text, quick_reply: { payload: input.quickReplyPayload } }
        : { mid: id, text: input.text };
      this.delivery.enqueue({ platform, event: pageMessageEvent(platform, message, now), messageId: id });
    } else {
      const url = cdnUrl(this.url, item.mediaId ?? '', this.urlSecret);
      this.delivery.enqueue({
        platform,
        event: pageMessageEvent(platform, { mid: id, attachments: [{ type: input.kind, payload: { url } }] }, now),
        messageId: id,
      });
      // Messenger and Instagram deliver a caption as a separate text message.
      if (input.caption?.trim()) this.send(platform, { kind: 'text', text: input.caption });
    }
    return item;
  }

  /**
   * The user taps a postback button (a carousel's "More like this"): Messenger shows the button's
   * title as the user's message, and Meta delivers `messaging[].postback` {title, payload, mid}.
   */
  postback(platform: 'messenger' | 'instagram', title: string, payload: string): ChatItem {
    const now = Date.now();
    this.counter += 1;
    const id = `m_SBXP${now.toString(36)}${this.counter.toString(36)}`;
    const item: ChatItem = { id, platform, from: 'user', kind: 'text', text: title, status: 'sending', at: now };
    this.log.add(item);
    const event = pagePostbackEvent(platform, { title, payload, mid: id }, now);
    this.delivery.enqueue({ platform, event, messageId: id });
    return item;
  }

  /** Resolves when every queued webhook has been delivered (or given up). */
  async drain(): Promise<void> {
    await this.delivery.drain();
  }

  async stop(): Promise<void> {
    await this.delivery.drain().catch(() => undefined);
    this.delivery.close();
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** After Threadline sent something, Meta reports back: statuses (WhatsApp), echo, delivery, read. */
  private afterBusinessMessage(platform: SandboxPlatform, id: string, content: BusinessContent): void {
    const now = Date.now();
    const readAfter = this.options.readAfterMs ?? 1500;
    if (platform === 'whatsapp') {
      this.delivery.enqueue({ platform, value: whatsAppStatusValue(id, 'sent', now) });
      this.delivery.enqueue({ platform, value: whatsAppStatusValue(id, 'delivered', now) });
      setTimeout(
        () => this.delivery.enqueue({ platform, value: whatsAppStatusValue(id, 'read', Date.now()) }),
        readAfter,
      ).unref();
      return;
    }
    this.delivery.enqueue({ platform, event: pageEchoEvent(platform, id, content, now) });
    if (platform === 'messenger') this.delivery.enqueue({ platform, event: pageDeliveryEvent(platform, id, now) });
    setTimeout(
      () => this.delivery.enqueue({ platform, event: pageReadEvent(platform, id, Date.now()) }),
      readAfter,
    ).unref();
  }

  private createDelivery(): WebhookDelivery {
    return new WebhookDelivery({
      webhookBaseUrl: () => this.webhookBaseUrl,
      secretFor: (platform) => this.secretFor(platform),
      retryDelaysMs: this.options.retryDelaysMs,
      onResult: (result) => {
        const status = result.status === 'network-error' ? 'no answer' : String(result.status);
        const events = `${result.events} event${result.events === 1 ? '' : 's'}`;
        const attempt = result.attempt > 1 ? ` (attempt ${result.attempt})` : '';
        this.log.log(
          result.platform,
          'webhook',
          `POST /webhooks/${result.platform} (${events}, ${result.bytes} bytes, signed) → ${status}${attempt}`,
        );
        for (const messageId of result.messageIds) {
          if (result.status === 200) this.log.setStatus(result.platform, messageId, 'delivered');
          else if (result.attempt === 1) this.log.setStatus(result.platform, messageId, 'sent');
        }
      },
    });
  }
}
