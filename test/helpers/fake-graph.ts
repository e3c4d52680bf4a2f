import { FakeHttpServer, type RecordedRequest } from './http-fake';

/**
 * Meta's Graph API as the Send API documents it: WhatsApp `POST /{v}/{phone_number_id}/messages`
 * answers with `messages[0].id`; Messenger and Instagram `POST /{v}/me/messages` answer with
 * `recipient_id` and `message_id`. Error bodies follow Graph's `{ error: { code, ... } }` envelope.
 */
export class FakeGraph extends FakeHttpServer {
  private counter = 0;

  constructor() {
    super((request) => {
      this.counter += 1;
      const body = request.body as Record<string, unknown> | undefined;
      if (request.method === 'POST' && /^\/v[\d.]+\/me\/messages$/.test(request.path)) {
        const recipient = (body?.recipient as { id?: string } | undefined)?.id;
        return { status: 200, body: { recipient_id: recipient, message_id: `m_sent_${this.counter}` } };
      }
      if (request.method === 'POST' && /^\/v[\d.]+\/[^/]+\/messages$/.test(request.path)) {
        if (body?.status === 'read') return { status: 200, body: { success: true } };
        return {
          status: 200,
          body: {
            messaging_product: 'whatsapp',
            contacts: [{ input: body?.to, wa_id: body?.to }],
            messages: [{ id: `wamid.sent.${this.counter}` }],
          },
        };
      }
      return { status: 404, body: { error: { message: 'Unknown path', code: 803 } } };
    });
  }

  /** Text messages sent (not read receipts or typing), in the order they arrived. */
  sentTexts(): Array<{ platform: 'whatsapp' | 'page'; to: string; text: string; request: RecordedRequest }> {
    const texts = [];
    for (const request of this.requests) {
      const body = request.body as Record<string, any> | undefined;
      if (request.method !== 'POST' || !body) continue;
      if (body.type === 'text' && typeof body.text?.body === 'string') {
        texts.push({ platform: 'whatsapp' as const, to: String(body.to), text: body.text.body as string, request });
      } else if (typeof body.message?.text === 'string') {
        texts.push({ platform: 'page' as const, to: String(body.recipient?.id), text: body.message.text as string, request });
      }
    }
    return texts;
  }

  static graphError(code: number, status = 400, extra: Record<string, unknown> = {}) {
    return {
      status,
      body: { error: { message: `(#${code}) scripted failure`, type: 'OAuthException', code, fbtrace_id: 'Afake', ...extra } },
    };
  }
}
