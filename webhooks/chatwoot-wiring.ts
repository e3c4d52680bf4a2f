import type express from 'express';
import type { Config } from '../config';
import type { ChatwootHandoff } from '../src/handoff/chatwoot/chatwoot-handoff';
import type { HandoffDesk } from '../src/handoff/handoff-desk';
import type { Logger } from '../src/logging';
import { createChatwootWebhookRouter } from './chatwoot-webhook';

/**
 * Chatwoot's webhook on `web`, wired to the handoff core: an agent's message goes to the person
 * through the desk (once per Chatwoot message id), a resolved conversation is given back. The
 * conversation Chatwoot names is the opaque handle the target mirrored it under. What the desk
 * refuses (the 24-hour window, a conversation no longer handed off) is said back to the agent.
 */
export function chatwootWebhookFor(
  config: Config,
  chatwoot: ChatwootHandoff | undefined,
  desk: HandoffDesk,
  logger: Logger,
): express.Router | undefined {
  if (!config.chatwoot || !chatwoot || !config.handoff.targets.includes('chatwoot')) return undefined;
  return createChatwootWebhookRouter({
    token: config.chatwoot.webhookToken,
    api: chatwoot.api,
    links: chatwoot.links,
    logger,
    async agentReplied(handle, text, agentMessageId) {
      const conversation = await desk.conversationOf(handle);
      if (!conversation) return 'this conversation is not with a person any more';
      const result = await desk.agentReplied(conversation, text, `chatwoot:${agentMessageId}`, 'chatwoot');
      return result.delivered || result.reason === 'returned' ? undefined : result.detail;
    },
    async resolved(handle) {
      const conversation = await desk.conversationOf(handle);
      if (conversation) await desk.giveBack(conversation, 'resolved', 'chatwoot');
      return undefined;
    },
  });
}
