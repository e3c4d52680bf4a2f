import { z } from 'zod';

/**
 * The calls Threadline makes to Chatwoot's Application API (base
 * `<CHATWOOT_BASE_URL>/api/v1/accounts/<account>`), authenticated with the `api_access_token`
 * header. Answers are checked with zod: only the ids we keep are read. Conversation ids in paths
 * are the account's display ids, the number the dashboard shows.
 */

export interface ChatwootApiSettings {
  baseUrl: string;
  apiToken: string;
  accountId: string;
  timeoutMs: number;
}

/** Chatwoot answered with a non-2xx status, or not at all. `status` 0: no answer. */
export class ChatwootApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ChatwootApiError';
  }
}

const contactInbox = z.looseObject({
  source_id: z.string().min(1),
  inbox: z.looseObject({ id: z.coerce.string() }).nullish(),
});
const contact = z.looseObject({
  id: z.number().int(),
  identifier: z.string().nullish(),
  contact_inboxes: z.array(contactInbox).nullish(),
});
const searchAnswer = z.looseObject({ payload: z.array(contact) });
const createContactAnswer = z.looseObject({
  payload: z.looseObject({ contact, contact_inbox: z.looseObject({ source_id: z.string().nullish() }).nullish() }),
});
const withId = z.looseObject({ id: z.number().int() });

export type ChatwootContact = z.infer<typeof contact>;

/** What a new message is: the person's words (`incoming`), the assistant's (`outgoing`), or a private note. */
export interface NewMessage {
  content: string;
  message_type: 'incoming' | 'outgoing';
  private?: boolean;
}

export interface ChatwootApi {
  searchContacts(query: string): Promise<ChatwootContact[]>;
  createContact(body: { inbox_id: number; name: string; identifier: string }): Promise<{
    contact: ChatwootContact;
    sourceId: string | undefined;
  }>;
  createContactInbox(contactId: number, inboxId: number, sourceId: string): Promise<string>;
  createConversation(body: {
    source_id: string;
    inbox_id: number;
    contact_id: number;
    status: 'open';
  }): Promise<number>;
  createMessage(conversationId: number, message: NewMessage): Promise<number>;
}

export function createChatwootApi(settings: ChatwootApiSettings): ChatwootApi {
  const base = `${settings.baseUrl}/api/v1/accounts/${encodeURIComponent(settings.accountId)}`;
  const call = async <T>(method: 'GET' | 'POST', path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> => {
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers: {
          api_access_token: settings.apiToken,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(settings.timeoutMs),
      });
    } catch (error) {
      throw new ChatwootApiError(0, `Chatwoot ${method} ${path.split('?')[0]} not answered: ${(error as Error).name}`);
    }
    const text = await response.text();
    if (!response.ok) throw new ChatwootApiError(response.status, `Chatwoot ${method} answered ${response.status}`);
    const parsed = schema.safeParse(jsonOrUndefined(text));
    if (!parsed.success) throw new ChatwootApiError(response.status, `Chatwoot ${method} answered an unexpected body`);
    return parsed.data;
  };
  return {
    searchContacts: async (query) =>
      (await call('GET', `/contacts/search?q=${encodeURIComponent(query)}`, searchAnswer)).payload,
    createContact: async (body) => {
      const answer = await call('POST', '/contacts', createContactAnswer, body);
      return { contact: answer.payload.contact, sourceId: answer.payload.contact_inbox?.source_id ?? undefined };
    },
    createContactInbox: async (contactId, inboxId, sourceId) =>
      (
        await call('POST', `/contacts/${contactId}/contact_inboxes`, z.looseObject({ source_id: z.string().min(1) }), {
          inbox_id: inboxId,
          source_id: sourceId,
        })
      ).source_id,
    createConversation: async (body) => (await call('POST', '/conversations', withId, body)).id,
    createMessage: async (conversationId, message) =>
      (await call('POST', `/conversations/${conversationId}/messages`, withId, message)).id,
  };
}

function jsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
