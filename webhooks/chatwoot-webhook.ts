import express, { type Router } from 'express';
import type { Logger } from '../src/logging';
import { sameSecret } from '../src/crypto/same-secret';
import type { ChatwootApi } from '../src/handoff/chatwoot/chatwoot-api';
import type { ChatwootLinks } from '../src/handoff/chatwoot/chatwoot-links';
import { readChatwootEvent } from '../src/handoff/chatwoot/chatwoot-events';
import { ThrottledWarning } from './throttled-warning';

/**
 * `POST /handoff/chatwoot?token=<CHATWOOT_WEBHOOK_TOKEN>`: the API inbox's webhook. An agent's
 * reply is handed to `agentReplied` once per Chatwoot message (Chatwoot retries; our own mirrored
 * messages, private notes and the person's lines coming back are ignored); a resolved
 * conversation to `resolved`. Either may refuse with a reason (the person's window is closed,
 * the conversation is no longer handed off): the agent then finds it as a private note in the
 * conversation. A wrong or missing token is 401; an event we do not use is 200, so Chatwoot
 * does not retry it; a failure on our side is 500, so it does.
 */
export const CHATWOOT_WEBHOOK_PATH = '/handoff/chatwoot';

/** Why the core would not do it, for the agent; undefined when done. */
export type HandoffRefusal = string | undefined;

export interface ChatwootWebhookDependencies {
  token: string;
  api: ChatwootApi;
  links: ChatwootLinks;
  /** the agent's words, to be sent to the person of `conversation` (the opaque handoff id) */
  agentReplied(conversation: string, text: string, agentMessageId: string): Promise<HandoffRefusal>;
  /** the agent resolved the conversation: the assistant takes it back */
  resolved(conversation: string): Promise<HandoffRefusal>;
  logger: Logger;
  refusalLogIntervalMs?: number;
}

export function createChatwootWebhookRouter(deps: ChatwootWebhookDependencies): Router {
  const router = express.Router();
  const badToken = new ThrottledWarning(
    deps.logger,
    'chatwoot webhook refused: bad token',
    deps.refusalLogIntervalMs ?? 10_000,
  );
  router.post(CHATWOOT_WEBHOOK_PATH, express.json({ limit: '512kb' }), async (req, res) => {
    if (!sameSecret(req.query.token, deps.token)) {
      badToken.warn({});
      return void res.status(401).type('text/plain').send('invalid token');
    }
    try {
      const outcome = await handle(req.body as unknown, deps);
      res.status(200).type('text/plain').send(outcome);
    } catch (error) {
      deps.logger.error({ err: error }, 'chatwoot webhook not handled');
      res.status(500).type('text/plain').send('not handled');
    }
  });
  return router;
}

async function handle(body: unknown, deps: ChatwootWebhookDependencies): Promise<string> {
  const event = readChatwootEvent(body);
  if (event.kind === 'ignored') return 'ignored';
  const conversation = await deps.links.conversationOf(event.chatwootConversation);
  if (!conversation) return 'ignored';
  if (event.kind === 'resolved') {
    const refusal = await deps.resolved(conversation);
    if (refusal) await noteForAgent(event.chatwootConversation, conversation, refusal, deps);
    return refusal ? 'refused' : 'resolved';
  }
  if (await deps.links.isOwnMessage(conversation, event.messageId)) return 'ignored';
  if (!(await deps.links.claimAgentMessage(conversation, event.messageId))) return 'duplicate';
  let refusal: HandoffRefusal;
  try {
    refusal = await deps.agentReplied(conversation, event.text, `chatwoot-${event.messageId}`);
  } catch (error) {
    await deps.links.releaseAgentMessage(conversation, event.messageId);
    throw error;
  }
  if (refusal) await noteForAgent(event.chatwootConversation, conversation, `Not sent: ${refusal}`, deps);
  return refusal ? 'refused' : 'delivered';
}

async function noteForAgent(
  chatwootConversation: number,
  conversation: string,
  text: string,
  deps: ChatwootWebhookDependencies,
): Promise<void> {
  const id = await deps.api.createMessage(chatwootConversation, {
    content: text,
    message_type: 'outgoing',
    private: true,
  });
  await deps.links.posted(conversation, id);
}
