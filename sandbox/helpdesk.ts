import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';
import { z } from 'zod';
import { BodyReadError, bodyReadStatus, readBody } from '../src/http/read-body';
import { sendJson } from './front-api';
import { declaresJson } from './page-origin';

/**
 * The sandbox's helpdesk: a plain-webhook handoff target of its own (HANDOFF_TARGET=webhook,
 * pointed here), so the agent pane on the page can play the person from the team. It takes
 * Threadline's signed posts at HELPDESK_INBOX_PATH and keeps each conversation waiting for a
 * person with its transcript; the pane reads them and answers through `web`'s own
 * POST /handoff/reply and /handoff/resolve, signed with the same secret, exactly as a real
 * helpdesk would. Kept in memory: a restarted sandbox starts with an empty desk.
 */
export const HELPDESK_INBOX_PATH = '/helpdesk/inbox';
export const AGENT_API_PATH = '/sandbox/api/agent/';

export interface DeskLine {
  from: 'person' | 'assistant' | 'agent';
  text: string;
  at: string;
}

export interface DeskConversation {
  conversation: string;
  platform: string;
  reason: string;
  lines: DeskLine[];
  resolved: boolean;
}

const lineSchema = z.object({ from: z.enum(['person', 'assistant']), text: z.string(), at: z.string() });
const eventSchema = z.union([
  z.object({
    event: z.literal('handoff.requested'),
    conversation: z.string(),
    platform: z.string(),
    reason: z.string(),
    transcript: z.array(lineSchema),
  }),
  z.object({ event: z.literal('message'), conversation: z.string(), text: z.string(), at: z.string() }),
  z.object({ event: z.literal('reply.not_sent'), conversation: z.string(), detail: z.string() }),
  z.object({ event: z.literal('handoff.returned'), conversation: z.string(), why: z.string(), at: z.string() }),
]);
const replySchema = z.object({ conversation: z.string().min(1), text: z.string().trim().min(1).max(4000) });
const resolveSchema = z.object({ conversation: z.string().min(1) });

const sign = (body: string | Buffer, secret: string) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

function signedBy(body: Buffer, header: unknown, secret: string): boolean {
  const expected = Buffer.from(sign(body, secret));
  const given = Buffer.from(typeof header === 'string' ? header : '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function jsonOf(req: http.IncomingMessage): Promise<unknown> {
  const raw = await readBody(req, { maxBytes: 256 * 1024, timeoutMs: 10_000 });
  return JSON.parse(raw.toString('utf8')) as unknown;
}

export class SandboxHelpdesk {
  readonly secret = randomBytes(24).toString('hex');
  private readonly conversations = new Map<string, DeskConversation>();
  /** Threadline's web process, once it is up */
  webUrl = '';

  /** What web and worker are configured with so this desk is their handoff target. */
  productEnv(pageUrl: string): Record<string, string> {
    return {
      HANDOFF_TARGET: 'webhook',
      HANDOFF_WEBHOOK_URL: `${pageUrl}${HELPDESK_INBOX_PATH}`,
      HANDOFF_WEBHOOK_SECRET: this.secret,
    };
  }

  /** POST HELPDESK_INBOX_PATH: an event from Threadline, refused unless signed with the desk's secret. */
  async receive(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.method !== 'POST') return sendJson(res, 405, { error: 'POST only' });
    const body = await readBody(req, { maxBytes: 1024 * 1024, timeoutMs: 10_000 });
    if (!signedBy(body, req.headers['x-threadline-signature'], this.secret)) {
      return sendJson(res, 401, { error: 'bad signature' });
    }
    const event = eventSchema.safeParse(JSON.parse(body.toString('utf8')));
    if (!event.success) return sendJson(res, 400, { error: 'not a handoff event' });
    this.record(event.data);
    sendJson(res, 200, { ok: true });
  }

  private record(event: z.infer<typeof eventSchema>): void {
    if (event.event === 'handoff.requested') {
      const { conversation, platform, reason, transcript } = event;
      const earlier = this.conversations.get(conversation);
      // A conversation handed over again keeps what the desk saw of it before.
      const lines = [
        ...(earlier?.lines ?? []),
        ...transcript.filter((line) => !earlier?.lines.some((l) => l.at === line.at && l.text === line.text)),
      ];
      this.conversations.set(conversation, { conversation, platform, reason, lines, resolved: false });
      return;
    }
    if (event.event === 'handoff.returned') return this.returned(event.conversation, event.why);
    const line =
      event.event === 'reply.not_sent'
        ? { from: 'agent' as const, text: `Not sent: ${event.detail}`, at: new Date().toISOString() }
        : { from: 'person' as const, text: event.text, at: event.at };
    this.conversations.get(event.conversation)?.lines.push(line);
  }

  /**
   * The assistant has the conversation again without this desk asking (idle, taken back
   * elsewhere): it is no longer waiting for a person. Forgotten: the person asked for everything
   * to go, and the desk keeps nothing of it.
   */
  private returned(conversation: string, why: string): void {
    if (why === 'forgotten') {
      this.conversations.delete(conversation);
      return;
    }
    const kept = this.conversations.get(conversation);
    if (kept) kept.resolved = true;
  }

  /** The page's agent API: the conversations, a reply, a resolve. */
  async api(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const action = url.pathname.slice(AGENT_API_PATH.length);
    if (req.method === 'GET' && action === 'conversations') {
      return sendJson(res, 200, { conversations: [...this.conversations.values()].reverse() });
    }
    if (req.method !== 'POST' || !declaresJson(req)) return sendJson(res, 404, { error: 'not found' });
    try {
      if (action === 'reply') return await this.reply(res, replySchema.parse(await jsonOf(req)));
      if (action === 'resolve') return await this.resolve(res, resolveSchema.parse(await jsonOf(req)));
    } catch (error) {
      if (error instanceof BodyReadError) return sendJson(res, bodyReadStatus[error.reason], { error: error.message });
      return sendJson(res, 400, { error: 'expected {"conversation": "...", "text": "..."}' });
    }
    sendJson(res, 404, { error: 'not found' });
  }

  /** Calls `web` as a helpdesk does: the body signed with the shared secret. */
  private async callWeb(path: string, payload: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const body = JSON.stringify(payload);
    const response = await fetch(`${this.webUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-threadline-signature': sign(body, this.secret) },
      body,
    });
    return { status: response.status, body: (await response.json().catch(() => ({}))) as Record<string, unknown> };
  }

  private async reply(res: http.ServerResponse, reply: z.infer<typeof replySchema>): Promise<void> {
    // Each reply is its own delivery, even when an agent sends the same words twice.
    const delivery = randomBytes(8).toString('hex');
    const body = JSON.stringify(reply);
    const response = await fetch(`${this.webUrl}/handoff/reply`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-threadline-signature': sign(body, this.secret),
        'x-threadline-delivery': delivery,
      },
      body,
    });
    const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    const conversation = this.conversations.get(reply.conversation);
    if (response.ok && answer.delivered === true) {
      conversation?.lines.push({ from: 'agent', text: reply.text, at: new Date().toISOString() });
    }
    if (answer.reason === 'returned' && conversation) conversation.resolved = true;
    sendJson(res, response.status, answer);
  }

  private async resolve(res: http.ServerResponse, request: z.infer<typeof resolveSchema>): Promise<void> {
    const answer = await this.callWeb('/handoff/resolve', { conversation: request.conversation });
    const conversation = this.conversations.get(request.conversation);
    if (conversation && answer.status === 200) conversation.resolved = true;
    sendJson(res, answer.status, answer.body);
  }
}
