import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import type { HandoffDesk } from '../src/handoff/handoff-desk';
import { DELIVERY_HEADER, SIGNATURE_HEADER, deliveryIdOf, hasValidSignature } from '../src/handoff/webhook-signature';
import type { Logger } from '../src/logging';

/**
 * The agent side of the plain webhook target: a helpdesk posts an agent's reply or resolves the
 * conversation, each body signed like Threadline's own posts (`X-Threadline-Signature`, HMAC-SHA256
 * of the raw body with HANDOFF_WEBHOOK_SECRET), checked on the bytes before anything is parsed.
 * A reply is delivered once: a request that names its delivery (`X-Threadline-Delivery`) is one
 * delivery by that name, one that does not is one by its body (a replay of it is acknowledged, not
 * sent again).
 */
export interface HandoffRoutesDependencies {
  desk: HandoffDesk;
  secret: string;
  logger: Logger;
}

const replySchema = z.object({ conversation: z.string().min(1).max(200), text: z.string().max(10_000) });
const resolveSchema = z.object({ conversation: z.string().min(1).max(200) });

function parsedBody<T>(req: Request, schema: z.ZodType<T>): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse((req.body as Buffer).toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export function createHandoffRouter(deps: HandoffRoutesDependencies): Router {
  const router = express.Router();
  const raw = express.raw({ type: () => true, limit: '64kb' });
  const signed = (req: Request, res: Response): boolean => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (hasValidSignature(body, req.get(SIGNATURE_HEADER), deps.secret)) return true;
    res.status(401).json({ error: 'bad signature' });
    return false;
  };

  router.post('/handoff/reply', raw, async (req, res) => {
    if (!signed(req, res)) return;
    const body = parsedBody(req, replySchema);
    if (!body) return void res.status(400).json({ error: 'expected {"conversation": "...", "text": "..."}' });
    const conversation = await deps.desk.conversationOf(body.conversation);
    if (!conversation) {
      return void res.status(404).json({ delivered: false, reason: 'not-handed-off', detail: 'unknown conversation' });
    }
    const delivery = req.get(DELIVERY_HEADER)?.trim().slice(0, 100) || deliveryIdOf(req.body as Buffer);
    const result = await deps.desk.agentReplied(conversation, body.text, delivery, 'webhook');
    if (result.delivered) return void res.status(200).json(result);
    const status = result.reason === 'returned' ? 200 : result.reason === 'not-handed-off' ? 404 : 409;
    deps.logger.info({ reason: result.reason }, 'agent reply not delivered');
    res.status(status).json(result);
  });

  router.post('/handoff/resolve', raw, async (req, res) => {
    if (!signed(req, res)) return;
    const body = parsedBody(req, resolveSchema);
    if (!body) return void res.status(400).json({ error: 'expected {"conversation": "..."}' });
    const conversation = await deps.desk.conversationOf(body.conversation);
    const returned = conversation ? await deps.desk.giveBack(conversation, 'resolved', 'webhook') : false;
    res.status(200).json({ returned });
  });

  return router;
}
