import type { Platform } from '../core/inbound';
import type { HandoffLine, HandoffRequest, HandoffReturn, HandoffTarget, ReplyNotSent } from './handoff-target';
import { deliveryIdOf, SIGNATURE_HEADER, signBody } from './webhook-signature';

export interface WebhookTargetSettings {
  url: string;
  secret: string;
  timeoutMs?: number;
}

/** A helpdesk answered something other than 2xx: the entry stays in the forward log for the retry. */
export class WebhookRefusedError extends Error {
  constructor(readonly status: number) {
    super(`the handoff webhook answered ${status}`);
    this.name = 'WebhookRefusedError';
  }
}

/** A 4xx: a helpdesk built before the event does not know it; nothing after it waits on it. */
function droppedWhenUnknown(error: unknown): void {
  if (!(error instanceof WebhookRefusedError && error.status >= 400 && error.status < 500)) throw error;
}

/**
 * The plain webhook: any helpdesk that takes a signed JSON POST. Threadline posts
 * `handoff.requested` with the transcript once, then one `message` per later message from the
 * person, `reply.not_sent` when the platform refused an agent's reply it took, and
 * `handoff.returned` when the conversation came back to the assistant other than by the desk's own
 * resolve or `/bot`; the agent side answers through `POST /handoff/reply` and `/handoff/resolve` on
 * `web` (webhooks/handoff-routes.ts). The bodies are exactly the documented ones (docs/handoff.md).
 */
export function createWebhookTarget(settings: WebhookTargetSettings): HandoffTarget {
  const post = async (payload: Record<string, unknown>) => {
    const body = JSON.stringify(payload);
    const response = await fetch(settings.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [SIGNATURE_HEADER]: signBody(body, settings.secret),
        'x-threadline-delivery': deliveryIdOf(body),
      },
      body,
      signal: AbortSignal.timeout(settings.timeoutMs ?? 10_000),
    });
    await response.body?.cancel();
    if (!response.ok) throw new WebhookRefusedError(response.status);
  };
  return {
    name: 'webhook',
    serves: (_platform: Platform) => true,
    requested: (request: HandoffRequest) =>
      post({
        event: 'handoff.requested',
        conversation: request.conversation,
        platform: request.platform,
        reason: request.reason,
        transcript: request.transcript.map((line) => ({ from: line.from, text: line.text, at: line.at })),
      }),
    forward: (conversation: string, line: HandoffLine) =>
      post({ event: 'message', conversation, text: line.text, at: line.at }),
    notSent: (conversation: string, notice: ReplyNotSent) =>
      post({ event: 'reply.not_sent', conversation, ...notice }).catch(droppedWhenUnknown),
    // The desk that resolved it, or wrote /bot, knows already; telling it would only echo its own call.
    returned: async (conversation: string, _thread?: unknown, how?: HandoffReturn) => {
      if (!how || how.by === 'webhook') return;
      const at = new Date(how.at).toISOString();
      await post({ event: 'handoff.returned', conversation, why: how.why, at }).catch(droppedWhenUnknown);
    },
  };
}
