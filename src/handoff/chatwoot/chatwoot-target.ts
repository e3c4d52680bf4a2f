import type { Logger } from '../../logging';
import type { HandoffLine, HandoffRequest, HandoffTarget } from '../handoff-target';
import { ChatwootApiError, type ChatwootApi, type ChatwootContact, type NewMessage } from './chatwoot-api';
import type { ChatwootLink, ChatwootLinks } from './chatwoot-links';

/**
 * Chatwoot as the place agents work: each handed-off conversation is mirrored into one
 * conversation of an API-channel inbox. The person's lines are `incoming` messages, the
 * assistant's `outgoing` ones marked as the assistant's, and why it was handed over is a private
 * note for the agent. The contact is found or created by an identifier made from the opaque
 * conversation id, so Chatwoot never learns the person's platform id (their display name, when the
 * platform gave one, is the contact's name). A conversation handed off again reuses its Chatwoot
 * conversation while the link lives, and lines already posted are not posted again.
 */

/** The prefix of the assistant's lines as agents read them. */
export const ASSISTANT_MARK = '[assistant] ';

export interface ChatwootTargetDependencies {
  api: ChatwootApi;
  links: ChatwootLinks;
  inboxId: number;
  logger: Logger;
}

export function contactIdentifier(conversation: string): string {
  return `threadline:${conversation}`;
}

export function createChatwootTarget(deps: ChatwootTargetDependencies): HandoffTarget {
  const post = async (conversation: string, link: ChatwootLink, line: HandoffLine) => {
    if (await deps.links.wasPosted(conversation, line)) return;
    const message: NewMessage =
      line.from === 'person'
        ? { content: line.text, message_type: 'incoming' }
        : { content: `${ASSISTANT_MARK}${line.text}`, message_type: 'outgoing' };
    const id = await deps.api.createMessage(link.conversationId, message);
    await deps.links.posted(conversation, id, line);
  };

  return {
    name: 'chatwoot',
    serves: () => true,
    async requested(request) {
      const link = await linkFor(request, deps);
      const note = `Handed over by the assistant (${request.reason})${request.detail ? `: ${request.detail}` : ''}`;
      for (const line of request.transcript) await post(request.conversation, link, line);
      // The note is fingerprinted like a line (marked as a note), so a retried handoff leaves one.
      const noteLine: HandoffLine = {
        from: 'assistant',
        text: `note\n${note}`,
        at: request.transcript.at(-1)?.at ?? '',
      };
      if (!(await deps.links.wasPosted(request.conversation, noteLine))) {
        const noteId = await deps.api.createMessage(link.conversationId, {
          content: note,
          message_type: 'outgoing',
          private: true,
        });
        await deps.links.posted(request.conversation, noteId, noteLine);
      }
      deps.logger.info(
        { chatwootConversation: link.conversationId, reason: request.reason },
        'handed over to Chatwoot',
      );
    },
    async forward(conversation, line) {
      const link = await deps.links.get(conversation);
      if (!link) throw new Error('no Chatwoot conversation for this handoff (expired or erased)');
      await post(conversation, link, line);
    },
    async notSent(conversation, notice) {
      if (!(await privateNote(conversation, `Not sent: ${notice.detail}`, deps))) {
        throw new Error('no Chatwoot conversation for this handoff (expired or erased)');
      }
    },
    async returned(conversation) {
      await privateNote(conversation, 'The assistant answers this conversation again.', deps);
    },
  };
}

/** A private note for the agents in the conversation's Chatwoot conversation; false when it has none. */
async function privateNote(conversation: string, content: string, deps: ChatwootTargetDependencies): Promise<boolean> {
  const link = await deps.links.get(conversation);
  if (!link) return false;
  const id = await deps.api.createMessage(link.conversationId, { content, message_type: 'outgoing', private: true });
  await deps.links.posted(conversation, id);
  return true;
}

/** The conversation's Chatwoot link: kept, or made now (contact found or created, a new conversation). */
async function linkFor(request: HandoffRequest, deps: ChatwootTargetDependencies): Promise<ChatwootLink> {
  const kept = await deps.links.get(request.conversation);
  if (kept) return kept;
  const { contact, sourceId } = await contactFor(request, deps);
  const conversationId = await deps.api.createConversation({
    source_id: sourceId,
    inbox_id: deps.inboxId,
    contact_id: contact.id,
    status: 'open',
  });
  const link = { contactId: contact.id, sourceId, conversationId };
  await deps.links.save(request.conversation, link);
  return link;
}

async function contactFor(
  request: HandoffRequest,
  deps: ChatwootTargetDependencies,
): Promise<{ contact: ChatwootContact; sourceId: string }> {
  const identifier = contactIdentifier(request.conversation);
  const found = (await deps.api.searchContacts(identifier)).find((c) => c.identifier === identifier);
  if (found) {
    const inInbox = found.contact_inboxes?.find((ci) => ci.inbox?.id === String(deps.inboxId));
    const sourceId = inInbox?.source_id ?? (await deps.api.createContactInbox(found.id, deps.inboxId, identifier));
    return { contact: found, sourceId };
  }
  const name = request.userName?.trim() || `${request.platform} ${request.conversation.slice(-6)}`;
  try {
    const created = await deps.api.createContact({ inbox_id: deps.inboxId, name, identifier });
    const sourceId =
      created.sourceId ?? (await deps.api.createContactInbox(created.contact.id, deps.inboxId, identifier));
    return { contact: created.contact, sourceId };
  } catch (error) {
    // Created by a concurrent attempt since the search: Chatwoot refuses the duplicate identifier.
    if (error instanceof ChatwootApiError && error.status === 422) {
      const again = (await deps.api.searchContacts(identifier)).find((c) => c.identifier === identifier);
      if (again) return contactFor(request, deps);
    }
    throw error;
  }
}
