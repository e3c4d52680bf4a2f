import { conversationKey } from '../src/core/inbound';
import type { PersonExport } from '../src/privacy/person-export';
import { createPseudonyms } from '../src/crypto/pseudonyms';
import { createAppScopedErasure } from '../src/privacy/app-scoped-erasure';
import { REMINDERS_QUEUE, createJobIds } from '../src/queues/jobs';
import { createRemindersQueue } from '../src/queues/queues';
import { reminderStateKeys } from '../src/redis/reminder-state-keys';
import { ChildWorker, childEnv } from './helpers/child-worker';
import { FakeModel, type ChatBody } from './helpers/fake-model';
import { WA_PHONE_NUMBER_ID } from './helpers/payloads';
import { CITY_QUESTION, MODEL_PROMISE, reminderModel } from './helpers/reminder-model';
import { replies, sleep } from './helpers/replies';
import { dumpPrefix } from './helpers/redis-dump';
import { say } from './helpers/say';
import { startSystem, type TestSystem } from './helpers/system';

/**
 * Reminders as the person meets them: asked for in a message, confirmed in their words and local
 * time, delivered once at their minute (across a worker killed before it), under each platform's
 * 24-hour rule (WhatsApp's template outside it; Messenger says so when the reminder is asked for),
 * listed and cancelled with /reminders, capped by REMINDERS_MAX, exported and erased.
 */

const WA = '34600000101'; // +34: Europe/Madrid, guessed from the number
const PSID = '7384920156300101';
const DUE = '⏰ Reminder: ';
const DUE_IT = '⏰ Promemoria: ';

const moment = (at: number, zone: string) =>
  new Intl.DateTimeFormat('en', { dateStyle: 'full', timeStyle: 'short', timeZone: zone }).format(new Date(at));
const dueReplies = (system: TestSystem, to: string, due = DUE) =>
  replies(system.graph, to).filter((r) => r.text.startsWith(due));
const setFor = (model: FakeModel): number => {
  const call = model
    .chatRequests()
    .flatMap((body) => body.messages ?? [])
    .flatMap((m) => (m.tool_calls ?? []) as Array<{ function: { name: string; arguments: string } }>)
    .filter((c) => c.function.name === 'set_reminder')
    .at(-1);
  return Date.parse((JSON.parse(call!.function.arguments) as { at: string }).at);
};
const GUESSED = 'I guessed your time zone from your number; tell me your city if it is wrong.';

describe('reminders', () => {
  let system: TestSystem;
  const children: ChildWorker[] = [];
  afterEach(async () => {
    await Promise.all(children.splice(0).map((c) => c.stop()));
    await system?.stop();
  });

  it('sets one with set_reminder, confirms it in local time (zone guessed from +34), and delivers it once', async () => {
    const model = reminderModel();
    system = await startSystem({ model });
    const confirmation = await say(system, 'whatsapp', WA, 'remind me in 3 seconds to call the dentist');
    const dueAt = setFor(model);
    expect(confirmation).toBe(
      `Reminder set for ${moment(dueAt, 'Europe/Madrid')} (Madrid time): call the dentist\n${GUESSED}`,
    );
    expect(confirmation).not.toContain(MODEL_PROMISE);

    const [first] = model.chatRequests();
    const offered = first!.tools!.find((tool) => tool.function?.name === 'set_reminder') as {
      function: { parameters: { required: string[]; properties: Record<string, { enum?: string[] }> } };
    };
    // `repeat` is optional, as the tool's contract says (strict backends get it required and nullable).
    expect(offered.function.parameters.required).toEqual(['text', 'at']);
    expect(offered.function.parameters.properties.repeat!.enum).toEqual(['daily', 'weekly', 'weekdays', null]);
    expect(String(first!.messages![0]!.content)).toContain('Their time zone is Europe/Madrid');

    await system.graph.waitFor(() => dueReplies(system, WA).length >= 1, 15_000);
    await sleep(2500);
    expect(dueReplies(system, WA).map((r) => r.text)).toEqual([`${DUE}call the dentist`]);
    expect(dueReplies(system, WA)[0]!.request.at).toBeGreaterThanOrEqual(dueAt);
    expect(await say(system, 'whatsapp', WA, '/reminders')).toMatch(/^You have no reminders/);
    // What is left (the delivered one's mark) still expires.
    const kept = reminderStateKeys(system.config.redis.prefix).reminders(`whatsapp:${WA}`);
    expect(await system.redis.pttl(kept)).toBeGreaterThan(0);
  }, 40_000);

  it('does not offer the reminder tools to a message that is not about one', async () => {
    const model = reminderModel();
    system = await startSystem({ model });
    expect(await say(system, 'whatsapp', WA, 'what is the capital of France?')).toBe(
      'echo: what is the capital of France? (history: 0)',
    );
    expect(model.chatRequests()[0]!.tools).toBeUndefined();
  });

  it('delivers exactly once when the worker is SIGKILLed before the reminder is due', async () => {
    const model = reminderModel();
    system = await startSystem({ workers: false, model });
    const worker = async () => {
      const child = new ChildWorker(childEnv(system.config, { JOB_LOCK_MS: '2000', JOB_STALLED_INTERVAL_MS: '1000' }));
      children.push(child);
      await child.ready();
      return child;
    };
    const first = await worker();
    expect(await say(system, 'whatsapp', WA, 'remind me in 6 seconds to take the pills')).toMatch(
      /^Reminder set for .*: take the pills/,
    );
    // The turn's own last step (its finish script) is done; the reminder's delayed job is all that is left.
    await sleep(500);
    first.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(dueReplies(system, WA)).toEqual([]);

    await worker();
    await system.graph.waitFor(() => dueReplies(system, WA).length >= 1, 25_000);
    await sleep(3000);
    expect(dueReplies(system, WA).map((r) => r.text)).toEqual([`${DUE}take the pills`]);
    expect(dueReplies(system, WA)[0]!.request.at).toBeGreaterThanOrEqual(setFor(model));
    expect(replies(system.graph, WA).filter((r) => r.text.startsWith('Reminder set'))).toHaveLength(1);
  }, 60_000);

  it('sends an out-of-window WhatsApp reminder as REMINDER_TEMPLATE with the text as its body parameter', async () => {
    system = await startSystem({ model: reminderModel(), env: { REMINDER_TEMPLATE: 'reminder:en_US' } });
    const confirmation = await say(system, 'whatsapp', WA, 'remind me in 3 seconds to water the plants');
    expect(confirmation).toMatch(/^Reminder set for .*: water the plants\n/);
    // The person's last message was more than 24 hours ago by the due minute: the window is closed.
    const to = { platform: 'whatsapp' as const, channelId: WA_PHONE_NUMBER_ID, userId: WA };
    await system.redis.del(reminderStateKeys(system.config.redis.prefix).lastWrote(conversationKey(to)));

    const templates = () =>
      system.graph.requests.filter((r) => (r.body as { type?: string } | undefined)?.type === 'template');
    await system.graph.waitFor(() => templates().length >= 1, 15_000);
    await sleep(2000);
    expect(templates()).toHaveLength(1);
    expect(templates()[0]!.path).toMatch(new RegExp(`/${WA_PHONE_NUMBER_ID}/messages$`));
    expect(templates()[0]!.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: WA,
      type: 'template',
      template: {
        name: 'reminder',
        language: { code: 'en_US' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'water the plants' }] }],
      },
    });
    expect(dueReplies(system, WA)).toEqual([]);
  }, 40_000);

  it('asks a Messenger user for their city once, then confirms in that zone', async () => {
    const model = reminderModel();
    system = await startSystem({ model });
    expect(await say(system, 'messenger', PSID, 'remind me in 30 seconds to stretch')).toBe(CITY_QUESTION);
    const confirmation = await say(system, 'messenger', PSID, 'Paris');
    expect(confirmation).toBe(`Reminder set for ${moment(setFor(model), 'Europe/Paris')} (Paris time): stretch`);
    const later = await say(system, 'messenger', PSID, 'remind me in 40 seconds to drink water');
    expect(later).toMatch(/\(Paris time\): drink water$/);
  }, 30_000);

  it('tells a Messenger user at once that a reminder past the 24-hour window cannot be sent, and keeps nothing', async () => {
    system = await startSystem({ model: reminderModel() });
    await say(system, 'messenger', PSID, 'remind me in 30 seconds to stretch');
    await say(system, 'messenger', PSID, 'Paris');
    const answer = await say(system, 'messenger', PSID, 'remind me in 2 days to renew the passport');
    expect(answer).toBe(
      'I can’t set that one: Messenger only lets me write to you within 24 hours of your last message, and it is due later. I can set reminders for the next 24 hours.',
    );
    const list = await say(system, 'messenger', PSID, '/reminders');
    expect(list).toContain('1. ');
    expect(list).not.toContain('passport');
  }, 30_000);

  it('lists reminders numbered with /reminders; /reminders cancel 1 cancels the first, which never fires', async () => {
    system = await startSystem({ model: reminderModel() });
    await say(system, 'whatsapp', WA, 'remind me in 4 seconds to feed the cat');
    await say(system, 'whatsapp', WA, 'remind me in 600 seconds to call mum');
    const list = await say(system, 'whatsapp', WA, '/reminders');
    const lines = list.split('\n');
    expect(lines[0]).toBe('Your reminders:');
    expect(lines[1]).toMatch(/^1\. .*: feed the cat$/);
    expect(lines[2]).toMatch(/^2\. .*: call mum$/);
    expect(lines[3]).toBe('To cancel one: /reminders cancel and its number.');
    expect(await say(system, 'whatsapp', WA, '/reminders cancel 1')).toBe('Cancelled: feed the cat');
    expect(await say(system, 'whatsapp', WA, '/reminders cancel 5')).toBe(
      'There is no reminder 5. Send /reminders to see their numbers.',
    );
    await sleep(6000);
    expect(dueReplies(system, WA)).toEqual([]);
    expect((await say(system, 'whatsapp', WA, '/reminders')).split('\n')[1]).toMatch(/^1\. .*: call mum$/);
  }, 40_000);

  it('refuses a reminder past REMINDERS_MAX and says how to make room', async () => {
    system = await startSystem({ model: reminderModel(), env: { REMINDERS_MAX: '1' } });
    await say(system, 'whatsapp', WA, 'remind me in 600 seconds to call mum');
    expect(await say(system, 'whatsapp', WA, 'remind me in 700 seconds to call dad')).toBe(
      'You already have 1 reminder, the most I keep. Cancel one first with /reminders cancel and its number.',
    );
  }, 30_000);

  it('is in /export, and /forget all erases the reminders and their jobs', async () => {
    system = await startSystem({ model: reminderModel() });
    await say(system, 'whatsapp', WA, 'remind me in 600 seconds to call mum');
    expect(await say(system, 'whatsapp', WA, '/privacy')).toContain(
      '• Reminders, time zone: until sent or cancelled (/reminders).',
    );
    await say(system, 'whatsapp', WA, '/export');
    const [file] = system.graph.sentFiles();
    const exported = JSON.parse(file!.bytes.toString('utf8')) as PersonExport;
    expect(exported.reminders).toEqual([
      {
        text: 'call mum',
        due_at: exported.reminders[0]!.due_at,
        repeat: null,
        time_zone: 'Europe/Madrid',
        app: 'whatsapp',
      },
    ]);
    expect(Date.parse(exported.reminders[0]!.due_at)).toBeGreaterThan(Date.now() + 500_000);
    expect(exported.time_zone).toEqual({ zone: 'Europe/Madrid', learnt_from: 'guessed' });

    const queue = createRemindersQueue(system.redis, system.config.redis.prefix);
    try {
      expect(await queue.getJobCountByTypes('delayed')).toBe(1);
      await say(system, 'whatsapp', WA, '/forget all');
      expect(await say(system, 'whatsapp', WA, 'yes')).toMatch(/erased everything/);
      expect(await queue.getJobCountByTypes('delayed', 'waiting', 'active')).toBe(0);
      const prefix = system.config.redis.prefix;
      expect(await system.redis.keys(`${prefix}:state:reminders:*`)).toEqual([]);
      expect(await system.redis.keys(`${prefix}:state:timezone:*`)).toEqual([]);
    } finally {
      await queue.close();
    }
    expect(REMINDERS_QUEUE).toBe('reminders');
  }, 40_000);

  it('delivers inside the window on Messenger and Instagram too, in the zone each person gave', async () => {
    const IGSID = '1784140211230101';
    system = await startSystem({ model: reminderModel() });
    for (const [app, user] of [
      ['messenger', PSID],
      ['instagram', IGSID],
    ] as const) {
      expect(await say(system, app, user, 'remind me in 4 seconds to stretch')).toBe(CITY_QUESTION);
      expect(await say(system, app, user, 'Madrid')).toMatch(/^Reminder set for .* \(Madrid time\): stretch$/);
    }
    await system.graph.waitFor(() => dueReplies(system, PSID).length + dueReplies(system, IGSID).length >= 2, 15_000);
    await sleep(2000);
    expect(dueReplies(system, PSID).map((r) => r.text)).toEqual([`${DUE}stretch`]);
    expect(dueReplies(system, IGSID).map((r) => r.text)).toEqual([`${DUE}stretch`]);
  }, 40_000);

  it('a daily reminder is sent, then waits for the same local time tomorrow (warned it needs the window)', async () => {
    const model = reminderModel();
    system = await startSystem({ model });
    const confirmation = await say(
      system,
      'whatsapp',
      WA,
      'remind me in 3 seconds and then every day to take the pills',
    );
    const dueAt = setFor(model);
    expect(confirmation).toBe(
      [
        `Reminder set every day, starting ${moment(dueAt, 'Europe/Madrid')} (Madrid time): take the pills`,
        'WhatsApp only lets me write to you within 24 hours of your last message, so each one reaches you only if you wrote to me in the 24 hours before it.',
        GUESSED,
      ].join('\n'),
    );
    await system.graph.waitFor(() => dueReplies(system, WA).length >= 1, 15_000);
    await sleep(1500);
    expect(dueReplies(system, WA)).toHaveLength(1);
    const list = await say(system, 'whatsapp', WA, '/reminders');
    expect(list.split('\n')[1]).toBe(`1. ${moment(dueAt + 86_400_000, 'Europe/Madrid')} (every day): take the pills`);
  }, 30_000);

  it('keeps the reminder sealed with DATA_ENCRYPTION_KEY: its text is nowhere in Redis in the clear', async () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    system = await startSystem({ model: reminderModel(), env: { DATA_ENCRYPTION_KEY: key } });
    await say(system, 'whatsapp', WA, 'remind me in 600 seconds to buy saffron');
    expect(await say(system, 'whatsapp', WA, '/reminders')).toMatch(/^Your reminders:\n1\. .*: buy saffron\n/);
    const dump = await dumpPrefix(system.redis, system.config.redis.prefix);
    expect(dump.filter((entry) => entry.values.some((value) => value.includes('buy saffron')))).toEqual([]);
  }, 30_000);

  it("is erased with its job by Meta's data-deletion callback for a matching Messenger id", async () => {
    system = await startSystem({ model: reminderModel() });
    await say(system, 'messenger', PSID, 'remind me in 600 seconds to stretch');
    await say(system, 'messenger', PSID, 'Paris');
    const prefix = system.config.redis.prefix;
    const queue = createRemindersQueue(system.redis, prefix);
    try {
      expect(await queue.getJobCountByTypes('delayed')).toBe(1);
      const ids = createJobIds(createPseudonyms(system.config.privacy.logPseudonymKey));
      await createAppScopedErasure(system.redis, prefix, ids).eraseAppScopedUser(PSID);
      expect(await queue.getJobCountByTypes('delayed', 'waiting', 'active')).toBe(0);
      expect(await system.redis.keys(`${prefix}:state:reminders:*`)).toEqual([]);
      expect(await system.redis.keys(`${prefix}:state:timezone:*`)).toEqual([]);
    } finally {
      await queue.close();
    }
  }, 30_000);

  it('reads "remind me in N seconds to …" itself when the model server takes no tools', async () => {
    const model = new FakeModel((body: ChatBody) => `plain: ${String(body.messages?.length)}`, { rejectTools: true });
    system = await startSystem({ model });
    const confirmation = await say(system, 'whatsapp', WA, 'Remind me in 3 seconds to stretch');
    expect(confirmation).toMatch(/^Reminder set for .* \(Madrid time\): stretch\n/);
    await system.graph.waitFor(() => dueReplies(system, WA).length >= 1, 15_000);
    expect(dueReplies(system, WA).map((r) => r.text)).toEqual([`${DUE}stretch`]);
  }, 30_000);

  it('reads an Italian request itself when the model server takes no tools, and answers in Italian', async () => {
    const model = new FakeModel((body: ChatBody) => `plain: ${String(body.messages?.length)}`, { rejectTools: true });
    system = await startSystem({ model });
    const IT = '393331234567'; // +39: Europe/Rome
    const confirmation = await say(
      system,
      'whatsapp',
      IT,
      'Ricordami tra 3 secondi di chiamare la mamma per il suo compleanno',
    );
    expect(confirmation).toMatch(/^Promemoria per .* \(ora di Rome\): chiamare la mamma per il suo compleanno\n/);
    await system.graph.waitFor(() => dueReplies(system, IT, DUE_IT).length >= 1, 15_000);
    expect(dueReplies(system, IT, DUE_IT).map((r) => r.text)).toEqual([
      `${DUE_IT}chiamare la mamma per il suo compleanno`,
    ]);
  }, 30_000);
});
