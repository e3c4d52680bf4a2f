import { translatorFor } from '../src/i18n/translator';
import { FakeGraph } from './helpers/fake-graph';
import { FakeHelpdesk, webhookHandoffEnv } from './helpers/fake-helpdesk';
import type { RecordedRequest } from './helpers/http-fake';
import { pageText, whatsAppText } from './helpers/payloads';
import { replies, sleep } from './helpers/replies';
import { startSystem, type TestSystem } from './helpers/system';

/**
 * An agent's reply on Messenger (and Instagram) may reach the person up to 7 days after their
 * last message, under Meta's HUMAN_AGENT tag; within 24 hours it goes as an ordinary RESPONSE,
 * past 7 days it is refused, and WhatsApp keeps its 24 hours. Only the agent's words carry the
 * tag. What is checked is what the fake Send API received and what the helpdesk was told.
 */
const en = translatorFor('en');
const DAY = 24 * 3600 * 1000;

interface PageBody {
  recipient?: { id?: string };
  messaging_type?: string;
  tag?: string;
  message?: { text?: string };
}

/** The Send API bodies of Messenger/Instagram texts to `user`, in order. */
function pageSends(system: TestSystem, user: string): Array<PageBody & { request: RecordedRequest }> {
  return system.graph.requests
    .filter((request) => request.method === 'POST' && /\/me\/messages$/.test(request.path))
    .map((request) => ({ ...(request.body as PageBody), request }))
    .filter((body) => body.recipient?.id === user && typeof body.message?.text === 'string');
}

/** `user` asks for a person on `app`, written `ago` ms ago; resolves with the helpdesk's handle. */
async function handOff(
  system: TestSystem,
  helpdesk: FakeHelpdesk,
  app: 'messenger' | 'whatsapp',
  user: string,
  ago: number,
): Promise<string> {
  const requested = () => helpdesk.events().filter((event) => event.body.event === 'handoff.requested');
  const before = requested().length;
  const at = Date.now() - ago;
  const payload =
    app === 'messenger'
      ? pageText('page', user, '/human', { timestamp: at })
      : whatsAppText(user, '/human', { timestamp: Math.floor(at / 1000) });
  await system.deliver(app, payload);
  await helpdesk.waitFor(() => requested().length > before);
  await system.graph.waitFor(() => replies(system.graph, user).length >= 1);
  return String(requested().at(-1)!.body.conversation);
}

const reply = (system: TestSystem, conversation: string, text: string) =>
  FakeHelpdesk.post(system.baseUrl, '/handoff/reply', { conversation, text });

describe('agent replies after the 24-hour window (HUMAN_AGENT, on by default)', () => {
  let system: TestSystem;
  let helpdesk: FakeHelpdesk;

  beforeAll(async () => {
    helpdesk = await new FakeHelpdesk().start();
    system = await startSystem({ env: webhookHandoffEnv(helpdesk) });
  });
  afterAll(async () => {
    await system.stop();
    await helpdesk.stop();
  });

  it('sends a Messenger reply 3 days on with MESSAGE_TAG / HUMAN_AGENT; the assistant’s own texts never carry it', async () => {
    const user = '7100000000000001';
    const conversation = await handOff(system, helpdesk, 'messenger', user, 3 * DAY);
    const text = 'Hi, Ana here: sorry for the wait, your refund is on its way.';
    expect(await reply(system, conversation, text)).toEqual({
      status: 200,
      body: { delivered: true, duplicate: false },
    });
    await system.graph.waitFor(() => pageSends(system, user).some((body) => body.message?.text === text));
    const sent = pageSends(system, user).find((body) => body.message?.text === text)!;
    expect(sent.messaging_type).toBe('MESSAGE_TAG');
    expect(sent.tag).toBe('HUMAN_AGENT');

    expect(await FakeHelpdesk.post(system.baseUrl, '/handoff/resolve', { conversation })).toMatchObject({
      status: 200,
    });
    const back = en('handoff.back');
    await system.graph.waitFor(() => pageSends(system, user).some((body) => body.message?.text === back));
    const own = pageSends(system, user).filter((body) => body.message?.text !== text);
    expect(own.map((body) => body.message?.text)).toEqual([en('handoff.requested.anytime'), back]);
    for (const body of own) {
      expect(body.messaging_type).toBe('RESPONSE');
      expect(body.tag).toBeUndefined();
    }
  });

  it('sends a reply within 24 hours as a RESPONSE, without the tag', async () => {
    const user = '7100000000000002';
    const conversation = await handOff(system, helpdesk, 'messenger', user, 2 * 3600 * 1000);
    const text = 'Hello from the team, how can I help?';
    expect((await reply(system, conversation, text)).status).toBe(200);
    await system.graph.waitFor(() => pageSends(system, user).some((body) => body.message?.text === text));
    const sent = pageSends(system, user).find((body) => body.message?.text === text)!;
    expect(sent.messaging_type).toBe('RESPONSE');
    expect(sent.tag).toBeUndefined();
  });

  it('refuses a Messenger reply 8 days on, naming the 7 days, and sends nothing', async () => {
    const user = '7100000000000003';
    const conversation = await handOff(system, helpdesk, 'messenger', user, 8 * DAY);
    const text = 'Are you still there?';
    const refused = await reply(system, conversation, text);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ delivered: false, reason: 'window-closed' });
    expect(String(refused.body.detail)).toContain('7 days');
    await sleep(300);
    expect(pageSends(system, user).map((body) => body.message?.text)).not.toContain(text);
  });

  it('refuses a WhatsApp reply 3 days on: WhatsApp has no such tag', async () => {
    const user = '34600000071';
    const conversation = await handOff(system, helpdesk, 'whatsapp', user, 3 * DAY);
    const refused = await reply(system, conversation, 'Hello again');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ delivered: false, reason: 'window-closed' });
    expect(String(refused.body.detail)).toContain('24 hours');
    await sleep(300);
    expect(replies(system.graph, user).map((r) => r.text)).not.toContain('Hello again');
  });

  it('tries a tagged reply although the 24-hour window is marked closed, and tells the helpdesk when Meta refuses it', async () => {
    const user = '7100000000000004';
    const toUser = (request: RecordedRequest) => (request.body as PageBody | undefined)?.recipient?.id === user;
    const closed = FakeGraph.graphError(10, 400, { error_subcode: 2018278 });
    // Meta refuses the assistant's own notice to a 3-day-old message: the window is marked closed.
    system.graph.script(closed, 1, (r) => toUser(r) && (r.body as PageBody).messaging_type === 'RESPONSE');
    const conversation = await handOff(system, helpdesk, 'messenger', user, 3 * DAY);
    await system.graph.waitFor(() => pageSends(system, user).some((body) => body.request.answeredWith === 400));
    expect(pageSends(system, user).map((body) => [body.message?.text, body.request.answeredWith])).toEqual([
      [en('handoff.requested.anytime'), 400],
    ]);

    const first = 'First reply from the team';
    expect((await reply(system, conversation, first)).status).toBe(200);
    await system.graph.waitFor(() => pageSends(system, user).some((body) => body.message?.text === first));
    expect(pageSends(system, user).find((body) => body.message?.text === first)!.request.answeredWith).toBe(200);

    // The app lacks the Human Agent feature, say: Meta refuses the tagged reply too.
    system.graph.script(closed, 1, (r) => toUser(r) && (r.body as PageBody).tag === 'HUMAN_AGENT');
    const second = 'Second reply from the team';
    expect((await reply(system, conversation, second)).status).toBe(200);
    const notSent = () => helpdesk.events(conversation).filter((event) => event.body.event === 'reply.not_sent');
    await helpdesk.waitFor(() => notSent().length >= 1);
    expect(notSent()[0]!.signed).toBe(true);
    expect(notSent()[0]!.body).toMatchObject({ event: 'reply.not_sent', conversation, reason: 'window-closed' });
    expect(String(notSent()[0]!.body.detail)).toContain('HUMAN_AGENT');
    expect(typeof notSent()[0]!.body.reply).toBe('string');
  });
});

describe('HANDOFF_HUMAN_AGENT_TAG=false', () => {
  it('keeps Messenger to 24 hours: a reply 3 days on is refused and nothing is sent', async () => {
    const helpdesk = await new FakeHelpdesk().start();
    const system = await startSystem({ env: webhookHandoffEnv(helpdesk, { HANDOFF_HUMAN_AGENT_TAG: 'false' }) });
    try {
      const user = '7100000000000010';
      const conversation = await handOff(system, helpdesk, 'messenger', user, 3 * DAY);
      const refused = await reply(system, conversation, 'Hello after three days');
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ delivered: false, reason: 'window-closed' });
      expect(String(refused.body.detail)).toContain('24 hours');
      await sleep(300);
      expect(pageSends(system, user).map((body) => body.message?.text)).not.toContain('Hello after three days');
      expect(pageSends(system, user).every((body) => body.tag === undefined)).toBe(true);
    } finally {
      await system.stop();
      await helpdesk.stop();
    }
  });
});
