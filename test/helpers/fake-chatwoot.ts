import { FakeHttpServer, type RecordedRequest, type ScriptedResponse } from './http-fake';

/**
 * Chatwoot's Application API as its docs describe it (developers.chatwoot.com/api-reference and
 * the `chatwoot/chatwoot` swagger), for the calls a handoff makes, under
 * `/api/v1/accounts/{account_id}`, every one authenticated by the `api_access_token` header (401
 * otherwise):
 * - `GET /contacts/search?q=` → `{ payload: [contact] }` (matches name, email, phone, identifier);
 * - `POST /contacts` (`inbox_id` required; a taken `identifier` is 422) →
 *   `{ payload: { contact, contact_inbox: { inbox, source_id } } }`;
 * - `POST /contacts/{id}/contact_inboxes` (`inbox_id`, optional `source_id`) → `{ source_id, inbox }`;
 * - `POST /conversations` (`source_id` required, must belong to the inbox) → the conversation with
 *   its display `id`;
 * - `POST /conversations/{id}/messages` (`content` required; `message_type` `incoming` only in an
 *   API inbox) → the message, `message_type` as the API's integer enum (0 incoming, 1 outgoing).
 * Contacts carry `contact_inboxes: [{ source_id, inbox }]`. The webhook bodies it would send to
 * the API inbox's URL are built by `messageCreatedEvent` and `statusChangedEvent` (webhook_data
 * with `event` merged in, `message_type` as a string).
 */
export interface FakeContact {
  id: number;
  name: string;
  identifier: string | null;
  contact_inboxes: Array<{ source_id: string; inbox: { id: number } }>;
}

export interface FakeMessage {
  id: number;
  conversationId: number;
  content: string;
  messageType: 'incoming' | 'outgoing';
  private: boolean;
  /** who wrote it: the contact, the token's user, or another agent the test plays */
  sender: { id: number; type: 'contact' | 'user' };
}

export interface FakeConversation {
  id: number;
  inboxId: number;
  contactId: number;
  sourceId: string;
  status: string;
}

export class FakeChatwoot extends FakeHttpServer {
  readonly token = 'cw-api-token';
  readonly accountId = 7;
  readonly inboxId = 3;
  /** the user the API token belongs to (the integration's own agent) */
  readonly tokenUserId = 11;
  readonly contacts: FakeContact[] = [];
  readonly conversations: FakeConversation[] = [];
  readonly messages: FakeMessage[] = [];
  private nextId = 100;

  constructor() {
    super((request) => this.answer(request));
  }

  /** Calls to the Application API (not counting refused ones), as `METHOD /path` below the account. */
  calls(): string[] {
    const base = `/api/v1/accounts/${this.accountId}`;
    return this.requests
      .filter((r) => r.answeredWith !== undefined && r.answeredWith < 400)
      .map((r) => `${r.method} ${r.path.startsWith(base) ? r.path.slice(base.length) : r.path}`);
  }

  messagesIn(conversationId: number): FakeMessage[] {
    return this.messages.filter((m) => m.conversationId === conversationId);
  }

  /** An agent (a person, not the token's user) writes in a conversation, as the dashboard would. */
  agentWrites(conversationId: number, content: string, options: { private?: boolean } = {}): FakeMessage {
    return this.addMessage(conversationId, content, 'outgoing', options.private ?? false, { id: 42, type: 'user' });
  }

  /** The `message_created` webhook body for a message (as the API inbox's webhook URL receives it). */
  messageCreatedEvent(message: FakeMessage): Record<string, unknown> {
    const conversation = this.conversations.find((c) => c.id === message.conversationId)!;
    return {
      event: 'message_created',
      id: message.id,
      content: message.content,
      created_at: new Date().toISOString(),
      message_type: message.messageType,
      content_type: 'text',
      content_attributes: {},
      private: message.private,
      source_id: null,
      sender: { id: message.sender.id, name: 'Agent', type: message.sender.type },
      inbox: { id: this.inboxId, name: 'Threadline' },
      conversation: {
        id: conversation.id,
        inbox_id: this.inboxId,
        status: conversation.status,
        channel: 'Channel::Api',
      },
      account: { id: this.accountId, name: 'Shop' },
    };
  }

  /** The agent changes a conversation's status: the `conversation_status_changed` webhook body. */
  statusChangedEvent(conversationId: number, status: string): Record<string, unknown> {
    const conversation = this.conversations.find((c) => c.id === conversationId)!;
    const before = conversation.status;
    conversation.status = status;
    return {
      event: 'conversation_status_changed',
      id: conversation.id,
      inbox_id: this.inboxId,
      status,
      channel: 'Channel::Api',
      changed_attributes: [{ status: { previous_value: before, current_value: status } }],
      meta: { sender: { id: conversation.contactId, type: 'contact' } },
    };
  }

  private addMessage(
    conversationId: number,
    content: string,
    messageType: 'incoming' | 'outgoing',
    isPrivate: boolean,
    sender: FakeMessage['sender'],
  ): FakeMessage {
    const message = { id: this.id(), conversationId, content, messageType, private: isPrivate, sender };
    this.messages.push(message);
    return message;
  }

  private id(): number {
    this.nextId += 1;
    return this.nextId;
  }

  private answer(request: RecordedRequest): ScriptedResponse {
    if (request.headers.api_access_token !== this.token) {
      return { status: 401, body: { errors: ['You need to sign in or sign up before continuing.'] } };
    }
    const base = `/api/v1/accounts/${this.accountId}`;
    if (!request.path.startsWith(`${base}/`)) return { status: 404, body: { error: 'Resource could not be found' } };
    const path = request.path.slice(base.length);
    const body = (request.body ?? {}) as Record<string, unknown>;
    if (request.method === 'GET' && path === '/contacts/search') return this.search(request.query);
    if (request.method !== 'POST') return { status: 404, body: { error: 'Resource could not be found' } };
    if (path === '/contacts') return this.createContact(body);
    const contactInbox = /^\/contacts\/(\d+)\/contact_inboxes$/.exec(path);
    if (contactInbox) return this.createContactInbox(Number(contactInbox[1]), body);
    if (path === '/conversations') return this.createConversation(body);
    const messages = /^\/conversations\/(\d+)\/messages$/.exec(path);
    if (messages) return this.createMessage(Number(messages[1]), body);
    return { status: 404, body: { error: 'Resource could not be found' } };
  }

  private search(query: string): ScriptedResponse {
    const q = new URLSearchParams(query).get('q') ?? '';
    const found = this.contacts.filter((c) => c.name.includes(q) || (c.identifier ?? '').includes(q));
    return { status: 200, body: { meta: { count: found.length, current_page: 1 }, payload: found } };
  }

  private createContact(body: Record<string, unknown>): ScriptedResponse {
    if (typeof body.inbox_id !== 'number') return { status: 422, body: { message: 'Inbox must exist' } };
    const identifier = typeof body.identifier === 'string' ? body.identifier : null;
    if (identifier && this.contacts.some((c) => c.identifier === identifier)) {
      return { status: 422, body: { message: 'Identifier has already been taken', attributes: ['identifier'] } };
    }
    const contact: FakeContact = {
      id: this.id(),
      name: typeof body.name === 'string' ? body.name : '',
      identifier,
      contact_inboxes: [],
    };
    const sourceId = `src-${contact.id}`;
    contact.contact_inboxes.push({ source_id: sourceId, inbox: { id: body.inbox_id } });
    this.contacts.push(contact);
    return {
      status: 200,
      body: { payload: { contact, contact_inbox: { inbox: { id: body.inbox_id }, source_id: sourceId } } },
    };
  }

  private createContactInbox(contactId: number, body: Record<string, unknown>): ScriptedResponse {
    const contact = this.contacts.find((c) => c.id === contactId);
    if (!contact || typeof body.inbox_id !== 'number')
      return { status: 404, body: { error: 'Resource could not be found' } };
    const sourceId = typeof body.source_id === 'string' ? body.source_id : `src-${this.id()}`;
    contact.contact_inboxes.push({ source_id: sourceId, inbox: { id: body.inbox_id } });
    return { status: 200, body: { source_id: sourceId, inbox: { id: body.inbox_id } } };
  }

  private createConversation(body: Record<string, unknown>): ScriptedResponse {
    const owner = this.contacts.find((c) =>
      c.contact_inboxes.some((ci) => ci.source_id === body.source_id && ci.inbox.id === body.inbox_id),
    );
    if (!owner) return { status: 422, body: { message: 'Source id is not valid for this inbox' } };
    const conversation = {
      id: this.conversations.length + 1,
      inboxId: Number(body.inbox_id),
      contactId: owner.id,
      sourceId: String(body.source_id),
      status: typeof body.status === 'string' ? body.status : 'open',
    };
    this.conversations.push(conversation);
    return { status: 200, body: { id: conversation.id, account_id: this.accountId, inbox_id: conversation.inboxId } };
  }

  private createMessage(conversationId: number, body: Record<string, unknown>): ScriptedResponse {
    const conversation = this.conversations.find((c) => c.id === conversationId);
    if (!conversation) return { status: 404, body: { error: 'Resource could not be found' } };
    if (typeof body.content !== 'string' || body.content === '')
      return { status: 422, body: { message: 'Content is required' } };
    const type = body.message_type === 'incoming' ? 'incoming' : 'outgoing';
    const sender =
      type === 'incoming'
        ? { id: conversation.contactId, type: 'contact' as const }
        : { id: this.tokenUserId, type: 'user' as const };
    const message = this.addMessage(conversationId, body.content, type, body.private === true, sender);
    const messageType = type === 'incoming' ? 0 : 1;
    return {
      status: 200,
      body: {
        id: message.id,
        content: message.content,
        message_type: messageType,
        private: message.private,
        conversation_id: conversationId,
      },
    };
  }
}
