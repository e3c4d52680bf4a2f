import { FakeModel } from './helpers/fake-model';
import {
  IG_ACCOUNT_ID,
  PAGE_ID,
  WA_PHONE_NUMBER_ID,
  pageText,
  whatsAppDelivery,
  whatsAppText,
} from './helpers/payloads';
import { startSystem, type TestSystem } from './helpers/system';
import { defined, firstOf } from './helpers/present';

/**
 * A person writes on each platform and gets the model's answer in the same thread, exactly once,
 * through the documented Send API call. Everything is real but Meta and the model.
 */
describe('text conversations end to end', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  it('answers a WhatsApp text through POST /{version}/{phone_number_id}/messages with the bearer token', async () => {
    system = await startSystem();
    const res = await system.deliver('whatsapp', whatsAppText('16505551234', 'Does it come in another color?'));
    expect(res.status).toBe(200);
    await system.graph.waitFor(() => system.graph.sentTexts().length === 1);
    const sent = firstOf(system.graph.sentTexts());
    expect(sent.request.path).toBe(`/v25.0/${WA_PHONE_NUMBER_ID}/messages`);
    expect(sent.request.headers.authorization).toBe('Bearer wa-token');
    expect(sent.request.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '16505551234',
      type: 'text',
      text: { preview_url: false, body: 'echo: Does it come in another color? (history: 0)' },
    });
  });

  it('answers a Messenger text through POST /{version}/me/messages with the Page token', async () => {
    system = await startSystem();
    expect((await system.deliver('messenger', pageText('page', '2000001', 'hello, world!'))).status).toBe(200);
    await system.graph.waitFor(() => system.graph.sentTexts().length === 1);
    const sent = firstOf(system.graph.sentTexts());
    expect(sent.request.path).toBe('/v25.0/me/messages');
    expect(sent.request.headers.authorization).toBe('Bearer page-token');
    expect(sent.request.body).toEqual({
      recipient: { id: '2000001' },
      messaging_type: 'RESPONSE',
      message: { text: 'echo: hello, world! (history: 0)' },
    });
    void PAGE_ID;
  });

  it('answers an Instagram DM through the Instagram Graph host with the Instagram token', async () => {
    system = await startSystem();
    expect(
      (await system.deliver('instagram', pageText('instagram', '3000001', 'Do you ship to Córdoba?'))).status,
    ).toBe(200);
    await system.graph.waitFor(() => system.graph.sentTexts().length === 1);
    const sent = firstOf(system.graph.sentTexts());
    expect(sent.request.path).toBe('/v25.0/me/messages');
    expect(sent.request.headers.authorization).toBe('Bearer ig-token');
    expect(sent.to).toBe('3000001');
    expect(sent.text).toBe('echo: Do you ship to Córdoba? (history: 0)');
    void IG_ACCOUNT_ID;
  });

  it('answers a redelivered message once, even when the redelivery comes after the answer', async () => {
    system = await startSystem();
    const delivery = whatsAppText('16505550001', 'only once please', { id: 'wamid.REDELIVERED' });
    await Promise.all([system.deliver('whatsapp', delivery), system.deliver('whatsapp', delivery)]);
    await system.graph.waitFor(() => system.graph.sentTexts().length >= 1);
    expect((await system.deliver('whatsapp', delivery)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(system.graph.sentTexts()).toHaveLength(1);
    expect(system.model.chatRequests()).toHaveLength(1);
  });

  it('answers a WhatsApp user known only by business-scoped id at that id', async () => {
    system = await startSystem();
    const delivery = whatsAppDelivery(
      [
        {
          from: '',
          from_user_id: 'US.13491208655302741918',
          id: 'wamid.BSUID1',
          timestamp: '1749416383',
          type: 'text',
          text: { body: 'hi' },
        },
      ],
      [{ profile: { name: 'Sheena', username: '@sheena' }, wa_id: '', user_id: 'US.13491208655302741918' }],
    );
    expect((await system.deliver('whatsapp', delivery)).status).toBe(200);
    await system.graph.waitFor(() => system.graph.sentTexts().length === 1);
    expect(firstOf(system.graph.sentTexts()).to).toBe('US.13491208655302741918');
  });

  it('gives each of three users in one batch their own answer', async () => {
    system = await startSystem();
    const batch = whatsAppDelivery([
      { from: '111', id: 'wamid.B1', timestamp: '1749416383', type: 'text', text: { body: 'from one' } },
      { from: '222', id: 'wamid.B2', timestamp: '1749416383', type: 'text', text: { body: 'from two' } },
      { from: '333', id: 'wamid.B3', timestamp: '1749416383', type: 'text', text: { body: 'from three' } },
    ]);
    expect((await system.deliver('whatsapp', batch)).status).toBe(200);
    await system.graph.waitFor(() => system.graph.sentTexts().length === 3);
    const byUser = Object.fromEntries(system.graph.sentTexts().map((s) => [s.to, s.text]));
    expect(byUser).toEqual({
      '111': 'echo: from one (history: 0)',
      '222': 'echo: from two (history: 0)',
      '333': 'echo: from three (history: 0)',
    });
  });

  it('remembers the conversation: the second turn sends the first to the model', async () => {
    system = await startSystem();
    await system.deliver('messenger', pageText('page', '2000002', 'My name is Ada.'));
    await system.graph.waitFor(() => system.graph.sentTexts().length === 1);
    await system.deliver('messenger', pageText('page', '2000002', 'What is my name?'));
    await system.graph.waitFor(() => system.graph.sentTexts().length === 2);
    const second = defined(system.model.chatRequests()[1]);
    expect(defined(second.messages).map((m) => [m.role, m.content])).toEqual([
      ['system', expect.stringContaining('Messenger')],
      ['user', 'My name is Ada.'],
      ['assistant', 'echo: My name is Ada. (history: 0)'],
      ['user', 'What is my name?'],
    ]);
    expect(defined(system.graph.sentTexts()[1]).text).toBe('echo: What is my name? (history: 2)');
  });

  it('answers one user’s messages one at a time, in the order written', async () => {
    // The model is slow for the first message; the second must still be answered after it.
    const model = new FakeModel(FakeModel.echo);
    model.script({ status: 200, delayMs: 800, body: FakeModel.completion('fake', 'first answer') });
    system = await startSystem({ model });
    const t = Math.floor(Date.now() / 1000);
    await system.deliver('whatsapp', whatsAppText('16505550009', 'one', { timestamp: t }));
    await system.deliver('whatsapp', whatsAppText('16505550009', 'two', { timestamp: t + 1 }));
    await system.graph.waitFor(() => system.graph.sentTexts().length === 2);
    expect(system.graph.sentTexts().map((s) => s.text)).toEqual(['first answer', 'echo: two (history: 2)']);
  });

  it('splits a long answer at the platform limit into ordered parts (Instagram: 1000 UTF-8 bytes)', async () => {
    const sentence = 'Ça coûte 12 € 🇫🇷 — 東京の天気はいいです。 ';
    const long = sentence.repeat(60).trim();
    system = await startSystem({ model: new FakeModel(() => long) });
    await system.deliver('instagram', pageText('instagram', '3000002', 'tell me a lot'));
    await system.graph.waitFor(() => system.graph.sentTexts().length >= 2, 15_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const parts = system.graph.sentTexts().map((s) => s.text);
    for (const part of parts) expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(1000);
    expect(parts.join(' ')).toBe(long);
    expect(parts.every((p) => !p.includes('\uFFFD'))).toBe(true);
  });

  it('tells the user in one short reply when it cannot read the message type', async () => {
    system = await startSystem();
    const sticker = whatsAppDelivery([
      {
        from: '444',
        id: 'wamid.STICKER',
        timestamp: '1697043760',
        type: 'unsupported',
        unsupported: { type: 'poll' },
      },
    ]);
    expect((await system.deliver('whatsapp', sticker)).status).toBe(200);
    await system.graph.waitFor(() => system.graph.sentTexts().length === 1);
    expect(firstOf(system.graph.sentTexts()).text).toMatch(/can't open that kind of message/);
    expect(system.model.chatRequests()).toHaveLength(0);
  });

  it('apologises instead of going silent when the model keeps failing', async () => {
    const model = new FakeModel();
    model.script({ status: 500, body: { error: { message: 'boom' } } }, 10);
    system = await startSystem({ model, env: {} });
    await system.deliver('messenger', pageText('page', '2000003', 'are you there?'));
    await system.graph.waitFor(() => system.graph.sentTexts().length === 1, 25_000);
    expect(firstOf(system.graph.sentTexts()).text).toMatch(/Sorry, I couldn't come up with an answer/);
  }, 40_000);
});
