import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Redis } from 'ioredis';
import { createLogger } from '../src/logging';
import { createChatwootApi } from '../src/handoff/chatwoot/chatwoot-api';
import { chatwootKept, createChatwootLinks, eraseChatwootLinks } from '../src/handoff/chatwoot/chatwoot-links';
import { ASSISTANT_MARK, createChatwootTarget } from '../src/handoff/chatwoot/chatwoot-target';
import type { HandoffRequest } from '../src/handoff/handoff-target';
import { createChatwootWebhookRouter, type HandoffRefusal } from '../webhooks/chatwoot-webhook';
import { FakeChatwoot } from './helpers/fake-chatwoot';
import { deleteKeysWithPrefix, REDIS_URL } from './helpers/system';

/**
 * The Chatwoot target against a fake Chatwoot speaking its Application API, with the links in
 * real Redis: what the inbox receives on a handoff and after it, and what the API inbox's webhook
 * hands to the core (once per agent message; never our own mirrored lines, private notes or the
 * person's lines coming back), with refusals left as private notes for the agent.
 */
describe('Chatwoot handoff', () => {
  const prefix = `t-chatwoot-${process.pid}`;
  const redis = new Redis(REDIS_URL);
  const logger = createLogger({ level: 'silent', name: 'test' });
  const webhookToken = 'cw-webhook-token-0123456789';
  let chatwoot: FakeChatwoot;
  let server: http.Server;
  let webhookUrl: string;
  const agentReplied = jest.fn<Promise<HandoffRefusal>, [string, string, string]>();
  const resolved = jest.fn<Promise<HandoffRefusal>, [string]>();

  const parts = () => {
    const api = createChatwootApi({
      baseUrl: chatwoot.url,
      apiToken: chatwoot.token,
      accountId: String(chatwoot.accountId),
      timeoutMs: 5000,
    });
    const links = createChatwootLinks(redis, prefix, 3600);
    return { api, links, target: createChatwootTarget({ api, links, inboxId: chatwoot.inboxId, logger }) };
  };

  const request: HandoffRequest = {
    conversation: 'hc-5f2a9e',
    platform: 'whatsapp',
    channelId: '1000',
    userId: '34600111222',
    userName: 'Ana',
    reason: 'refund',
    detail: 'wants a refund for order 1234',
    transcript: [
      { from: 'person', text: 'My parcel arrived broken', at: '2026-12-07T09:00:00.000Z' },
      { from: 'assistant', text: 'Sorry to hear that. Shall I get a person?', at: '2026-12-07T09:00:02.000Z' },
      { from: 'person', text: 'Yes please, I want my money back', at: '2026-12-07T09:00:10.000Z' },
    ],
  };

  beforeEach(async () => {
    chatwoot = await new FakeChatwoot().start();
    const { api, links } = parts();
    const app = express();
    app.use(createChatwootWebhookRouter({ token: webhookToken, api, links, agentReplied, resolved, logger }));
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/handoff/chatwoot?token=${webhookToken}`;
    agentReplied.mockReset().mockResolvedValue(undefined);
    resolved.mockReset().mockResolvedValue(undefined);
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
    await chatwoot.stop();
    await deleteKeysWithPrefix(redis, prefix);
  });
  afterAll(async () => redis.quit());

  const deliver = (body: unknown, url = webhookUrl) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('creates the contact, the conversation, then the transcript in order and a private note on why', async () => {
    await parts().target.requested(request);

    expect(chatwoot.calls()).toEqual([
      'GET /contacts/search',
      'POST /contacts',
      'POST /conversations',
      'POST /conversations/1/messages',
      'POST /conversations/1/messages',
      'POST /conversations/1/messages',
      'POST /conversations/1/messages',
    ]);
    expect(chatwoot.requests.every((r) => r.headers.api_access_token === chatwoot.token)).toBe(true);
    const [contact] = chatwoot.contacts;
    // The contact is named, but identified by the opaque conversation id, never the phone number.
    expect(contact).toMatchObject({ name: 'Ana', identifier: 'threadline:hc-5f2a9e' });
    expect(JSON.stringify(chatwoot.requests.map((r) => r.body))).not.toContain('34600111222');
    expect(chatwoot.conversations[0]).toMatchObject({ inboxId: chatwoot.inboxId, contactId: contact!.id });
    expect(chatwoot.messagesIn(1).map((m) => [m.messageType, m.private, m.content])).toEqual([
      ['incoming', false, 'My parcel arrived broken'],
      ['outgoing', false, `${ASSISTANT_MARK}Sorry to hear that. Shall I get a person?`],
      ['incoming', false, 'Yes please, I want my money back'],
      ['outgoing', true, 'Handed over by the assistant (refund): wants a refund for order 1234'],
    ]);
  });

  it('forwards each later message as incoming, and a retried handoff posts no line twice', async () => {
    const { target } = parts();
    await target.requested(request);
    await target.forward(request.conversation, {
      from: 'person',
      text: 'Are you there?',
      at: '2026-12-07T09:05:00.000Z',
    });
    await target.requested(request);

    const lines = chatwoot.messagesIn(1).filter((m) => !m.private);
    expect(lines.map((m) => m.content)).toEqual([
      'My parcel arrived broken',
      `${ASSISTANT_MARK}Sorry to hear that. Shall I get a person?`,
      'Yes please, I want my money back',
      'Are you there?',
    ]);
    expect(chatwoot.contacts).toHaveLength(1);
    expect(chatwoot.conversations).toHaveLength(1);
    expect(chatwoot.messagesIn(1).filter((m) => m.private)).toHaveLength(1);
  });

  it('finds a contact created earlier by its identifier instead of creating a second one', async () => {
    await parts().target.requested(request);
    await eraseChatwootLinks(redis, prefix, request.conversation);
    await parts().target.requested({ ...request, transcript: [] });
    expect(chatwoot.contacts).toHaveLength(1);
    expect(chatwoot.calls().filter((c) => c === 'POST /contacts')).toHaveLength(1);
    expect(chatwoot.conversations).toHaveLength(2);
  });

  it('keeps the links with a lifetime, lists them for /export and erases them for /forget all', async () => {
    await parts().target.requested(request);
    const kept = await chatwootKept(redis, prefix, request.conversation);
    expect(kept).toEqual({
      chatwootContactId: chatwoot.contacts[0]!.id,
      chatwootConversationId: 1,
      messagesPosted: 4,
      agentMessagesDelivered: 0,
    });
    const keys = await redis.keys(`${prefix}:*`);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(await redis.ttl(key)).toBeGreaterThan(0);

    await eraseChatwootLinks(redis, prefix, request.conversation);
    expect(await redis.keys(`${prefix}:*`)).toEqual([]);
    expect(await chatwootKept(redis, prefix, request.conversation)).toBeUndefined();
  });

  it('hands an agent reply to the core once, even when Chatwoot delivers it twice', async () => {
    await parts().target.requested(request);
    const reply = chatwoot.agentWrites(1, 'Hi Ana, I am Marta. I have refunded order 1234.');
    expect((await deliver(chatwoot.messageCreatedEvent(reply))).status).toBe(200);
    expect((await deliver(chatwoot.messageCreatedEvent(reply))).status).toBe(200);

    expect(agentReplied).toHaveBeenCalledTimes(1);
    expect(agentReplied).toHaveBeenCalledWith(
      'hc-5f2a9e',
      'Hi Ana, I am Marta. I have refunded order 1234.',
      `chatwoot-${reply.id}`,
    );
  });

  it("ignores private notes, the person's lines and the lines the target posted itself", async () => {
    await parts().target.requested(request);
    const note = chatwoot.agentWrites(1, 'Checking the order first', { private: true });
    for (const message of [note, ...chatwoot.messagesIn(1)]) {
      expect((await deliver(chatwoot.messageCreatedEvent(message))).status).toBe(200);
    }
    expect(agentReplied).not.toHaveBeenCalled();
  });

  it("ignores an assistant's line whose webhook comes before its id is stored", async () => {
    await parts().target.requested(request);
    const early = chatwoot.agentWrites(1, `${ASSISTANT_MARK}Anything else?`);
    await deliver(chatwoot.messageCreatedEvent(early));
    expect(agentReplied).not.toHaveBeenCalled();
  });

  it('refuses a request without the right token with 401 and calls nothing', async () => {
    await parts().target.requested(request);
    const reply = chatwoot.agentWrites(1, 'Hello');
    const wrong = webhookUrl.replace(/token=.*/, 'token=nope');
    expect((await deliver(chatwoot.messageCreatedEvent(reply), wrong)).status).toBe(401);
    expect((await deliver(chatwoot.messageCreatedEvent(reply), webhookUrl.split('?')[0])).status).toBe(401);
    expect(agentReplied).not.toHaveBeenCalled();
  });

  it('gives the conversation back when the agent resolves it', async () => {
    await parts().target.requested(request);
    await deliver(chatwoot.statusChangedEvent(1, 'pending'));
    expect(resolved).not.toHaveBeenCalled();
    await deliver(chatwoot.statusChangedEvent(1, 'resolved'));
    expect(resolved).toHaveBeenCalledWith('hc-5f2a9e');
  });

  it("leaves the core's refusal as a private note the agent sees, and delivers nothing", async () => {
    await parts().target.requested(request);
    agentReplied.mockResolvedValue("the person's 24-hour window is closed; they must write first");
    const reply = chatwoot.agentWrites(1, 'Any news?');
    await deliver(chatwoot.messageCreatedEvent(reply));

    const last = chatwoot.messagesIn(1).at(-1)!;
    expect(last).toMatchObject({
      private: true,
      content: "Not sent: the person's 24-hour window is closed; they must write first",
    });
    // The note coming back through the webhook is not an agent reply either.
    await deliver(chatwoot.messageCreatedEvent(last));
    expect(agentReplied).toHaveBeenCalledTimes(1);
  });

  it("answers 500 when the core fails, and takes Chatwoot's retry", async () => {
    await parts().target.requested(request);
    agentReplied.mockRejectedValueOnce(new Error('redis down'));
    const reply = chatwoot.agentWrites(1, 'Hello again');
    expect((await deliver(chatwoot.messageCreatedEvent(reply))).status).toBe(500);
    expect((await deliver(chatwoot.messageCreatedEvent(reply))).status).toBe(200);
    expect(agentReplied).toHaveBeenCalledTimes(2);
  });

  it('ignores events for conversations it never mirrored', async () => {
    const { api } = parts();
    const created = await api.createContact({ inbox_id: chatwoot.inboxId, name: 'Walk-in', identifier: 'other' });
    const id = await api.createConversation({
      source_id: created.sourceId!,
      inbox_id: chatwoot.inboxId,
      contact_id: created.contact.id,
      status: 'open',
    });
    await deliver(chatwoot.messageCreatedEvent(chatwoot.agentWrites(id, 'Hello')));
    await deliver(chatwoot.statusChangedEvent(id, 'resolved'));
    expect(agentReplied).not.toHaveBeenCalled();
    expect(resolved).not.toHaveBeenCalled();
  });
});
