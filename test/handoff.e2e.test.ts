import { freePort } from '../sandbox/redis';
import { translatorFor } from '../src/i18n/translator';
import { FakeHelpdesk, webhookHandoffEnv } from './helpers/fake-helpdesk';
import { FakeModel } from './helpers/fake-model';
import { whatsAppButtonTap, whatsAppText } from './helpers/payloads';
import { defined, firstOf } from './helpers/present';
import { parsePrometheusText, sampleValue } from './helpers/prometheus-text';
import { knowledgeTexts } from '../src/core/reply-texts';
import { replies, signsOfLife, sleep } from './helpers/replies';
import { say } from './helpers/say';
import { startSystem, type TestSystem } from './helpers/system';

/**
 * A person asks for someone from the team, and the assistant steps aside: the helpdesk behind the
 * plain webhook receives the handoff with the transcript, then each later message; the person
 * gets no answer, no typing and no read receipt from the assistant meanwhile, only the agent's
 * replies (once each); when the agent resolves, the person is told the assistant is back.
 */
const en = translatorFor('en');
const BACK = en('handoff.back');

/** The `handoff.returned` events the helpdesk received about one conversation. */
const returnedTo = (helpdesk: FakeHelpdesk, conversation: string) =>
  helpdesk.events(conversation).filter((event) => event.body.event === 'handoff.returned');

async function write(system: TestSystem, from: string, text: string, at = Date.now()): Promise<void> {
  await system.deliver('whatsapp', whatsAppText(from, text, { timestamp: Math.floor(at / 1000) }));
}

/** The person taps "Talk to a person": they are told, and the helpdesk is asked with reason `asked`. */
async function tapTalkToAPerson(system: TestSystem, helpdesk: FakeHelpdesk, user: string): Promise<void> {
  const before = replies(system.graph, user).length;
  await system.deliver('whatsapp', whatsAppButtonTap(user, '/human', en('choice.human')));
  await system.graph.waitFor(() => replies(system.graph, user).length > before);
  expect(defined(replies(system.graph, user).at(-1)).text).toBe(en('handoff.requested.anytime'));
  await helpdesk.waitFor(() => helpdesk.events().length >= 1);
  expect(firstOf(helpdesk.events()).body).toMatchObject({ event: 'handoff.requested', reason: 'asked' });
}

describe('handing a conversation to a person (plain webhook)', () => {
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

  it('asks the helpdesk on /human with the transcript, tells the person, then stays silent and forwards', async () => {
    const user = '34600000001';
    expect(await say(system, 'whatsapp', user, 'where is my parcel?')).toContain('echo: where is my parcel?');
    expect(await say(system, 'whatsapp', user, '/human')).toBe(en('handoff.requested.anytime'));

    await helpdesk.waitFor(() => helpdesk.events().length >= 1);
    const [requested] = helpdesk.events();
    expect(requested!.signed).toBe(true);
    expect(Object.keys(requested!.body)).toEqual(['event', 'conversation', 'platform', 'reason', 'transcript']);
    expect(requested!.body).toMatchObject({ event: 'handoff.requested', platform: 'whatsapp', reason: 'asked' });
    expect(String(requested!.body.conversation)).not.toContain(user);
    const transcript = requested!.body.transcript as Array<{ from: string; text: string; at: string }>;
    expect(transcript.map((line) => [line.from, line.text])).toEqual([
      ['person', 'where is my parcel?'],
      ['assistant', expect.stringContaining('echo: where is my parcel?')],
      ['person', '/human'],
    ]);
    expect(transcript.every((line) => !Number.isNaN(Date.parse(line.at)))).toBe(true);

    const modelCalls = system.model.requests.length;
    const signs = signsOfLife(system.graph).length;
    const seen = replies(system.graph, user).length;
    await write(system, user, 'hello? anyone there?');
    await write(system, user, 'it was order 1234');
    await helpdesk.waitFor(() => helpdesk.events().length >= 3);
    const messages = helpdesk.events().slice(1);
    expect(messages.map((event) => event.body)).toEqual([
      {
        event: 'message',
        conversation: requested!.body.conversation,
        text: 'hello? anyone there?',
        at: expect.any(String) as unknown,
      },
      {
        event: 'message',
        conversation: requested!.body.conversation,
        text: 'it was order 1234',
        at: expect.any(String) as unknown,
      },
    ]);
    expect(messages.every((event) => event.signed)).toBe(true);
    await sleep(300);
    expect(replies(system.graph, user)).toHaveLength(seen);
    expect(signsOfLife(system.graph)).toHaveLength(signs);
    expect(system.model.requests).toHaveLength(modelCalls);
  });

  it('delivers an agent reply once, even when the helpdesk replays the request', async () => {
    const user = '34600000002';
    await say(system, 'whatsapp', user, '/human');
    await helpdesk.waitFor(() =>
      helpdesk.events().some((e) => e.body.event === 'handoff.requested' && e.request.at > 0),
    );
    const conversation = String(helpdesk.events().at(-1)!.body.conversation);
    const before = replies(system.graph, user).length;
    const reply = { conversation, text: 'Hi, I am Ana from support. Let me check.' };
    const first = await FakeHelpdesk.post(system.baseUrl, '/handoff/reply', reply);
    const again = await FakeHelpdesk.post(system.baseUrl, '/handoff/reply', reply);
    expect(first).toEqual({ status: 200, body: { delivered: true, duplicate: false } });
    expect(again).toEqual({ status: 200, body: { delivered: true, duplicate: true } });
    await system.graph.waitFor(() => replies(system.graph, user).length > before);
    await sleep(300);
    expect(
      replies(system.graph, user)
        .slice(before)
        .map((r) => r.text),
    ).toEqual([reply.text]);
  });

  it('refuses a request without the right signature with 401', async () => {
    const body = { conversation: 'c_whatever', text: 'hi' };
    expect(
      (await FakeHelpdesk.post(system.baseUrl, '/handoff/reply', body, { secret: 'wrong-secret-0123456789' })).status,
    ).toBe(401);
    const unsigned = await fetch(`${system.baseUrl}/handoff/resolve`, {
      method: 'POST',
      body: '{"conversation":"c_x"}',
    });
    expect(unsigned.status).toBe(401);
  });

  it('refuses an agent reply outside the 24-hour window, saying why', async () => {
    const user = '34600000003';
    const dayAndAHourAgo = Date.now() - 25 * 3600 * 1000;
    await write(system, user, '/human', dayAndAHourAgo);
    await system.graph.waitFor(() => replies(system.graph, user).length >= 1);
    const conversation = String(
      helpdesk
        .events()
        .filter((e) => e.body.event === 'handoff.requested')
        .at(-1)!.body.conversation,
    );
    const refused = await FakeHelpdesk.post(system.baseUrl, '/handoff/reply', { conversation, text: 'Hello?' });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ delivered: false, reason: 'window-closed' });
    expect(String(refused.body.detail)).toContain('24 hours');
    await sleep(200);
    expect(replies(system.graph, user).map((r) => r.text)).not.toContain('Hello?');
  });

  it('gives the conversation back on resolve: the person is told once, and the assistant answers again', async () => {
    const user = '34600000004';
    await say(system, 'whatsapp', user, '/human');
    await helpdesk.waitFor(() => helpdesk.events().length > 0);
    const conversation = String(
      helpdesk
        .events()
        .filter((e) => e.body.event === 'handoff.requested')
        .at(-1)!.body.conversation,
    );
    expect(await FakeHelpdesk.post(system.baseUrl, '/handoff/resolve', { conversation })).toEqual({
      status: 200,
      body: { returned: true },
    });
    expect(await FakeHelpdesk.post(system.baseUrl, '/handoff/resolve', { conversation })).toEqual({
      status: 200,
      body: { returned: false },
    });
    await system.graph.waitFor(() => replies(system.graph, user).some((r) => r.text === BACK));
    expect(await say(system, 'whatsapp', user, 'thanks')).toContain('echo: thanks');
    expect(replies(system.graph, user).filter((r) => r.text === BACK)).toHaveLength(1);
    // The helpdesk resolved it itself: it is not told back what it did.
    expect(returnedTo(helpdesk, conversation)).toEqual([]);
  });

  it('gives the conversation back when the agent writes /bot', async () => {
    const user = '34600000005';
    await say(system, 'whatsapp', user, '/human');
    const conversation = String(
      helpdesk
        .events()
        .filter((e) => e.body.event === 'handoff.requested')
        .at(-1)!.body.conversation,
    );
    const result = await FakeHelpdesk.post(system.baseUrl, '/handoff/reply', { conversation, text: '/bot' });
    expect(result.body).toMatchObject({ delivered: false, reason: 'returned' });
    await system.graph.waitFor(() => replies(system.graph, user).some((r) => r.text === BACK));
    expect(returnedTo(helpdesk, conversation)).toEqual([]);
  });

  it('keeps the pause in /privacy and /export, and /forget all erases it', async () => {
    const user = '34600000006';
    await say(system, 'whatsapp', user, 'hi there');
    await say(system, 'whatsapp', user, '/human');
    expect(await say(system, 'whatsapp', user, '/privacy')).toContain(en('privacy.handoff', { hours: 24 }));
    expect(await say(system, 'whatsapp', user, '/export')).toMatch(/^I sent you export-/);
    const file = system.graph
      .sentFiles()
      .filter((sent) => sent.to === user)
      .at(-1)!;
    const exported = JSON.parse(file.bytes.toString('utf8')) as { handoffs?: unknown[] };
    expect(exported.handoffs).toEqual([
      expect.objectContaining({
        app: 'whatsapp',
        with_a_person: true,
        reason: 'asked',
        since: expect.any(String) as unknown,
      }),
    ]);
    const conversation = String(
      helpdesk
        .events()
        .filter((e) => e.body.event === 'handoff.requested')
        .at(-1)!.body.conversation,
    );
    expect(await say(system, 'whatsapp', user, '/forget all')).toMatch(/cannot be undone/);
    expect(await say(system, 'whatsapp', user, 'yes')).toMatch(/erased everything/);
    await helpdesk.waitFor(() => returnedTo(helpdesk, conversation).length > 0);
    expect(returnedTo(helpdesk, conversation).map((event) => event.body.why)).toEqual(['forgotten']);
    const prefix = system.config.redis.prefix;
    const keys = await system.redis.keys(`${prefix}:state:handoff*`);
    const values = await Promise.all(
      keys.map(async (key) => `${key} ${(await system.redis.get(key).catch(() => '')) ?? ''}`),
    );
    expect(values.filter((line) => line.includes(user))).toEqual([]);
    expect(await say(system, 'whatsapp', user, 'hello again')).toContain('echo: hello again');
  });

  it('shows the handoff in /why once the assistant has the conversation back', async () => {
    const user = '34600000004';
    const why = await say(system, 'whatsapp', user, '/why');
    expect(why).toContain('A person from the team had this conversation');
  });
});

describe('handoff off, idle, and asked for by the model', () => {
  it('says no person is available without HANDOFF_TARGET, and keeps helping', async () => {
    const system = await startSystem();
    try {
      expect(await say(system, 'whatsapp', '34600000010', '/human')).toBe(en('handoff.unavailable'));
      expect(await say(system, 'whatsapp', '34600000010', 'ok then')).toContain('echo: ok then');
    } finally {
      await system.stop();
    }
  });

  it('comes back by itself after HANDOFF_IDLE_HOURS without an agent message, and says so', async () => {
    const helpdesk = await new FakeHelpdesk().start();
    const system = await startSystem({ env: webhookHandoffEnv(helpdesk, { HANDOFF_IDLE_HOURS: '0.0005' }) });
    try {
      // Nobody writes: the worker's idle watch gives the conversation back and tells the person.
      const quiet = '34600000013';
      await say(system, 'whatsapp', quiet, '/human');
      await system.graph.waitFor(() => replies(system.graph, quiet).some((r) => r.text === BACK), 10_000);
      // The helpdesk hears it too, signed like every event, so it stops waiting for its agent.
      const asked = helpdesk.events().find((e) => e.body.event === 'handoff.requested')!;
      const conversation = String(asked.body.conversation);
      await helpdesk.waitFor(() => returnedTo(helpdesk, conversation).length > 0);
      const [returned, ...more] = returnedTo(helpdesk, conversation);
      expect(more).toEqual([]);
      expect(returned!.signed).toBe(true);
      expect(returned!.body).toEqual({
        event: 'handoff.returned',
        conversation,
        why: 'idle',
        at: expect.any(String) as unknown,
      });
      expect(Object.keys(returned!.body)).toEqual(['event', 'conversation', 'why', 'at']);
      expect(Date.parse(String(returned!.body.at))).toBeGreaterThan(asked.request.at - 1000);

      const user = '34600000011';
      await say(system, 'whatsapp', user, '/human');
      // Counted before the pause runs out: the watch may give it back before the person writes.
      const before = replies(system.graph, user).length;
      await sleep(2200);
      await write(system, user, 'still there?');
      await system.graph.waitFor(() => replies(system.graph, user).length >= before + 2);
      expect(
        replies(system.graph, user)
          .slice(before)
          .map((r) => r.text),
      ).toEqual([BACK, expect.stringContaining('echo: still there?') as unknown]);
    } finally {
      await system.stop();
      await helpdesk.stop();
    }
  });

  it('hands off when the model calls hand_off, telling the person in the catalogue words', async () => {
    const helpdesk = await new FakeHelpdesk().start();
    const model = new FakeModel(FakeModel.echo, {
      tools: (body) =>
        body.tools?.some((tool) => tool.function?.name === 'hand_off')
          ? {
              toolCalls: [{ name: 'hand_off', arguments: { reason: 'the person wants a refund for a broken kettle' } }],
            }
          : { text: 'no tool' },
    });
    const system = await startSystem({ env: webhookHandoffEnv(helpdesk), model });
    try {
      const user = '34600000012';
      expect(await say(system, 'whatsapp', user, 'my kettle broke, I want my money back')).toBe(
        en('handoff.requested.anytime'),
      );
      await helpdesk.waitFor(() => helpdesk.events().length >= 1);
      expect(helpdesk.events()[0]!.body).toMatchObject({ event: 'handoff.requested', reason: 'refund' });
    } finally {
      await system.stop();
      await helpdesk.stop();
    }
  });
});

describe('where the assistant cannot help', () => {
  let system: TestSystem;
  let helpdesk: FakeHelpdesk;
  const unknown = knowledgeTexts.unknown(en);

  beforeAll(async () => {
    helpdesk = await new FakeHelpdesk().start();
    system = await startSystem({
      model: new FakeModel(() => '[unknown]'),
      // The worker counts handoffs (it steps aside): its metrics are scraped on a port of their own.
      env: webhookHandoffEnv(helpdesk, { KNOWLEDGE_STRICT: 'on', METRICS_PORT: String(await freePort()) }),
    });
  });
  afterAll(async () => {
    await system.stop();
    await helpdesk.stop();
  });

  it('offers "Talk to a person" under "I don\'t know", and a tap hands the conversation over', async () => {
    const user = '34600000030';
    expect(await say(system, 'whatsapp', user, 'do you ship to the Azores?')).toBe(unknown);
    const offered = replies(system.graph, user).at(-1)!;
    expect(offered.choices).toEqual(['/human']);
    await tapTalkToAPerson(system, helpdesk, user);
  });

  it('hands over by itself after three answers in a row that did not help, and the operator sees it', async () => {
    const user = '34600000031';
    expect(await say(system, 'whatsapp', user, 'what is the address for returns, please?')).toBe(unknown);
    expect(await say(system, 'whatsapp', user, 'and what is your phone number for the shop?')).toBe(unknown);
    expect(await say(system, 'whatsapp', user, 'could you give me an email address instead?')).toBe(
      `${unknown}\n\n${en('handoff.requested.anytime')}`,
    );
    await helpdesk.waitFor(() => helpdesk.events().some((event) => event.body.reason === 'failures'));
    const conversation = String(helpdesk.events().find((event) => event.body.reason === 'failures')!.body.conversation);
    await FakeHelpdesk.post(system.baseUrl, '/handoff/reply', { conversation, text: 'Hello from the team' });
    await FakeHelpdesk.post(system.baseUrl, '/handoff/resolve', { conversation });
    const metrics = parsePrometheusText(await (await fetch(`${system.baseUrl}/metrics`)).text());
    const workerUrl = `http://127.0.0.1:${defined(system.workers).metricsPort}/metrics`;
    const worker = parsePrometheusText(await (await fetch(workerUrl)).text());
    expect(sampleValue(worker, 'threadline_handoffs_total', { reason: 'asked', target: 'webhook' })).toBe(1);
    expect(sampleValue(worker, 'threadline_handoffs_total', { reason: 'failures', target: 'webhook' })).toBe(1);
    expect(sampleValue(metrics, 'threadline_handoff_returns_total', { why: 'resolved' })).toBe(1);
    expect(sampleValue(metrics, 'threadline_handoff_first_reply_seconds_count', { target: 'webhook' })).toBe(1);
  });
});

describe('where the model fails', () => {
  let system: TestSystem;
  let helpdesk: FakeHelpdesk;

  beforeAll(async () => {
    helpdesk = await new FakeHelpdesk().start();
    const model = new FakeModel();
    model.script({ status: 500, body: { error: { message: 'boom' } } }, 100);
    system = await startSystem({ model, env: webhookHandoffEnv(helpdesk, { TURN_ATTEMPTS: '1' }) });
  });
  afterAll(async () => {
    await system.stop();
    await helpdesk.stop();
  });

  it('offers "Talk to a person" under the apology, and a tap hands the conversation over', async () => {
    const user = '34600000040';
    expect(await say(system, 'whatsapp', user, 'can I change my delivery address?')).toBe(en('reply.modelFailed'));
    expect(replies(system.graph, user).at(-1)!.choices).toEqual(['/human']);
    await tapTalkToAPerson(system, helpdesk, user);
  });

  it('does not offer it again under the third failure, which hands the conversation over itself', async () => {
    const user = '34600000041';
    await say(system, 'whatsapp', user, 'hello?');
    await say(system, 'whatsapp', user, 'hello again?');
    expect(await say(system, 'whatsapp', user, 'anyone?')).toBe(
      `${en('reply.modelFailed')}\n\n${en('handoff.requested.anytime')}`,
    );
    expect(replies(system.graph, user).at(-1)!.choices).toEqual([]);
  });
});

describe('how long agents usually take to reply', () => {
  it('is said once five first replies are recorded: their median, as a friendly figure', async () => {
    const helpdesk = await new FakeHelpdesk().start();
    const system = await startSystem({ env: webhookHandoffEnv(helpdesk) });
    try {
      for (let n = 0; n < 5; n++) {
        const user = `3460000005${n}`;
        expect(await say(system, 'whatsapp', user, '/human')).toBe(en('handoff.requested.anytime'));
        await helpdesk.waitFor(() => helpdesk.events().filter((e) => e.body.event === 'handoff.requested').length > n);
        const conversation = String(
          helpdesk
            .events()
            .filter((e) => e.body.event === 'handoff.requested')
            .at(-1)!.body.conversation,
        );
        const reply = await FakeHelpdesk.post(system.baseUrl, '/handoff/reply', { conversation, text: 'Hi!' });
        expect(reply.body).toMatchObject({ delivered: true });
      }
      const wait = en('handoff.wait.minutes', { count: 1 });
      expect(await say(system, 'whatsapp', '34600000059', '/human')).toBe(
        en('handoff.requested.anytimeUsually', { wait }),
      );
      // Seconds only, per deployment: nothing in the record names a person.
      const kept = await system.redis.lrange(`${system.config.redis.prefix}:state:handoff-reply-times`, 0, -1);
      expect(kept).toHaveLength(5);
      expect(kept.every((value) => /^\d+$/.test(value))).toBe(true);
    } finally {
      await system.stop();
      await helpdesk.stop();
    }
  });

  it("says the operator's HANDOFF_TYPICAL_REPLY_MINUTES instead, from the first handoff", async () => {
    const helpdesk = await new FakeHelpdesk().start();
    const env = webhookHandoffEnv(helpdesk, { HANDOFF_TYPICAL_REPLY_MINUTES: '120' });
    const system = await startSystem({ env });
    try {
      expect(await say(system, 'whatsapp', '34600000060', '/human')).toBe(
        en('handoff.requested.anytimeUsually', { wait: en('handoff.wait.hours', { count: 2 }) }),
      );
    } finally {
      await system.stop();
      await helpdesk.stop();
    }
  });
});
