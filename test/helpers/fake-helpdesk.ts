import { createHmac } from 'node:crypto';
import { FakeHttpServer, type RecordedRequest } from './http-fake';

export const HELPDESK_SECRET = 'helpdesk-secret-0123456789';

export const signHelpdesk = (body: string, secret = HELPDESK_SECRET) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** One event the helpdesk received from Threadline, with whether its signature held. */
export interface HelpdeskEvent {
  body: Record<string, unknown>;
  signed: boolean;
  delivery: string | undefined;
  request: RecordedRequest;
}

/**
 * A helpdesk behind the plain webhook target: it records the signed events Threadline posts
 * (`handoff.requested`, then `message`) and answers 200, and it plays the agent side by posting
 * signed replies and resolutions to `web`.
 */
export class FakeHelpdesk extends FakeHttpServer {
  constructor() {
    super(() => ({ status: 200, body: { ok: true } }));
  }

  events(conversation?: string): HelpdeskEvent[] {
    return this.requests
      .filter((request) => request.method === 'POST')
      .map((request) => ({
        body: request.body as Record<string, unknown>,
        signed: request.headers['x-threadline-signature'] === signHelpdesk(request.rawBody.toString('utf8')),
        delivery: request.headers['x-threadline-delivery'] as string | undefined,
        request,
      }))
      .filter((event) => conversation === undefined || event.body.conversation === conversation);
  }

  /** Each delivery once (a delivery posted again after a lost answer carries the same name). */
  delivered(conversation?: string): HelpdeskEvent[] {
    const seen = new Set<string>();
    return this.events(conversation).filter((event) => {
      const name = event.delivery ?? '';
      if (seen.has(name)) return false;
      seen.add(name);
      return true;
    });
  }

  static async post(
    baseUrl: string,
    path: '/handoff/reply' | '/handoff/resolve',
    payload: unknown,
    options: { secret?: string; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const body = JSON.stringify(payload);
    const response = await fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-threadline-signature': signHelpdesk(body, options.secret),
        ...options.headers,
      },
      body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }
}

/** The environment that hands conversations to `helpdesk` through the plain webhook. */
export const webhookHandoffEnv = (helpdesk: FakeHelpdesk, more: Record<string, string> = {}) => ({
  HANDOFF_TARGET: 'webhook',
  HANDOFF_WEBHOOK_URL: `${helpdesk.url}/threadline`,
  HANDOFF_WEBHOOK_SECRET: HELPDESK_SECRET,
  ...more,
});
