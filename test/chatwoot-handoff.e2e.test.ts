import { signRequest } from '../src/crypto/signed-request';
import { translatorFor } from '../src/i18n/translator';
import type { PersonExport } from '../src/privacy/person-export';
import { FakeChatwoot } from './helpers/fake-chatwoot';
import { whatsAppText } from './helpers/payloads';
import { firstOf } from './helpers/present';
import { replies } from './helpers/replies';
import { say } from './helpers/say';
import { startSystem, TEST_APP_SECRET, type TestSystem } from './helpers/system';

/**
 * Chatwoot as the handoff target through the whole product: `/human` mirrors the conversation
 * into the API inbox (contact, conversation, transcript), the person's next message is forwarded
 * and not answered, an agent's message posted by Chatwoot's webhook reaches the person once (a
 * redelivered webhook sends nothing more), and resolving the conversation gives it back.
 */
const en = translatorFor('en');

async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not so after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
const WEBHOOK_TOKEN = 'cw-webhook-token-e2e-0123456789';

describe('handing a conversation to Chatwoot', () => {
  let system: TestSystem;
  let chatwoot: FakeChatwoot;

  beforeAll(async () => {
    chatwoot = await new FakeChatwoot().start();
    system = await startSystem({
      env: {
        HANDOFF_TARGET: 'chatwoot',
        CHATWOOT_BASE_URL: chatwoot.url,
        CHATWOOT_API_TOKEN: chatwoot.token,
        CHATWOOT_ACCOUNT_ID: String(chatwoot.accountId),
        CHATWOOT_INBOX_ID: String(chatwoot.inboxId),
        CHATWOOT_WEBHOOK_TOKEN: WEBHOOK_TOKEN,
      },
    });
  });
  afterAll(async () => {
    await system.stop();
    await chatwoot.stop();
  });

  const chatwootWebhook = (body: unknown, token = WEBHOOK_TOKEN) =>
    fetch(`${system.baseUrl}/handoff/chatwoot?token=${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const texts = (user: string) => replies(system.graph, user).map((reply) => reply.text);
  const chatwootKeys = () => system.redis.keys(`${system.config.redis.prefix}*chatwoot*`);

  it('mirrors the conversation, forwards the person, delivers the agent once and gives it back on resolve', async () => {
    const user = '34600222333';
    expect(await say(system, 'whatsapp', user, 'my parcel arrived broken')).toContain('echo:');
    expect(await say(system, 'whatsapp', user, '/human')).toBe(en('handoff.requested.anytime'));
    await chatwoot.waitFor(() => chatwoot.conversations.length === 1);
    const [conversation] = chatwoot.conversations;
    const mirrored = () => chatwoot.messagesIn(conversation!.id).map((m) => m.content);
    await chatwoot.waitFor(() => mirrored().some((text) => text.includes('my parcel arrived broken')));
    // The contact is known by the opaque handle, never the phone number.
    expect(JSON.stringify(chatwoot.contacts)).not.toContain(user);

    const before = texts(user).length;
    await system.deliver('whatsapp', whatsAppText(user, 'hello? anyone?'));
    await chatwoot.waitFor(() => mirrored().includes('hello? anyone?'));

    const agent = chatwoot.agentWrites(conversation!.id, 'Hi, I am Marta. Sending a new one today.');
    expect((await chatwootWebhook(chatwoot.messageCreatedEvent(agent), 'wrong-token')).status).toBe(401);
    expect((await chatwootWebhook(chatwoot.messageCreatedEvent(agent))).status).toBe(200);
    expect((await chatwootWebhook(chatwoot.messageCreatedEvent(agent))).status).toBe(200);
    await system.graph.waitFor(() => texts(user).includes('Hi, I am Marta. Sending a new one today.'));
    expect(texts(user).slice(before)).toEqual(['Hi, I am Marta. Sending a new one today.']);

    expect((await chatwootWebhook(chatwoot.statusChangedEvent(conversation!.id, 'resolved'))).status).toBe(200);
    await system.graph.waitFor(() => texts(user).includes(en('handoff.back')));
    expect(texts(user).slice(before)).toEqual(['Hi, I am Marta. Sending a new one today.', en('handoff.back')]);
    expect(await say(system, 'whatsapp', user, 'thanks')).toContain('thanks');

    // /export lists what is kept of the mirror; /forget all erases it with the rest.
    await say(system, 'whatsapp', user, '/export');
    const exported = JSON.parse(firstOf(system.graph.sentFiles()).bytes.toString('utf8')) as PersonExport;
    expect(exported.helpdesks).toEqual([
      {
        app: 'whatsapp',
        channel: expect.any(String) as string,
        helpdesk: 'chatwoot',
        kept: expect.objectContaining({
          chatwootConversationId: conversation!.id,
          agentMessagesDelivered: 1,
        }) as object,
      },
    ]);
    expect(await chatwootKeys()).not.toEqual([]);
    await say(system, 'whatsapp', user, '/forget all');
    expect(await say(system, 'whatsapp', user, 'yes')).toMatch(/erased everything/);
    expect(await chatwootKeys()).toEqual([]);
  });

  it("erases a Messenger person's links to Chatwoot on Meta's data-deletion callback", async () => {
    const psid = '7384920156300042';
    await say(system, 'messenger', psid, 'where is my order?');
    expect(await say(system, 'messenger', psid, '/human')).toBe(en('handoff.requested.anytime'));
    await chatwoot.waitFor(() => chatwoot.conversations.length === 2);
    await until(async () => (await chatwootKeys()).length > 0);

    const request = { algorithm: 'HMAC-SHA256', issued_at: Math.floor(Date.now() / 1000), user_id: psid };
    const res = await fetch(`${system.baseUrl}/meta/data-deletion`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ signed_request: signRequest(request, TEST_APP_SECRET) }).toString(),
    });
    expect(res.status).toBe(200);
    await until(async () => (await chatwootKeys()).length === 0);
  });

  it('gives the conversation back when an agent writes /bot in Chatwoot, and the person is told', async () => {
    const user = '34600222999';
    const known = chatwoot.conversations.length;
    expect(await say(system, 'whatsapp', user, '/human')).toBe(en('handoff.requested.anytime'));
    await chatwoot.waitFor(() => chatwoot.conversations.length === known + 1);
    const conversation = chatwoot.conversations.at(-1)!;
    const before = texts(user).length;
    const bot = chatwoot.agentWrites(conversation.id, '/bot');
    expect((await chatwootWebhook(chatwoot.messageCreatedEvent(bot))).status).toBe(200);
    await system.graph.waitFor(() => texts(user).includes(en('handoff.back')));
    // The command is not passed on to the person: only the notice that the assistant is back.
    expect(texts(user).slice(before)).toEqual([en('handoff.back')]);
    expect(await say(system, 'whatsapp', user, 'are you back?')).toContain('echo: are you back?');
  });
});
