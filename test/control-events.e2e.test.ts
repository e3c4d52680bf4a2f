import { readFileSync } from 'node:fs';
import path from 'node:path';
import { translatorFor } from '../src/i18n/translator';
import { pageText, whatsAppText } from './helpers/payloads';
import { replies } from './helpers/replies';
import { say } from './helpers/say';
import { startSystem, type TestSystem } from './helpers/system';

/**
 * Control events through the whole product. A person of the business taking the thread (Meta's
 * inbox taking control, a reply typed in the WhatsApp Business app on the same number) makes the
 * assistant step aside in that conversation as if handed off: the events and the person's next
 * messages get no word from it (no reply, no read receipt, no typing). Control given back makes
 * it say it is back and answer again. Recorded and documented payloads, stamped in order.
 */
const en = translatorFor('en');
const BACK = en('handoff.back');

const fixtures = (file: string) =>
  JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'handover', file), 'utf8')) as Record<string, unknown>;

/** The payload with every stamp set to `at` (ms; WhatsApp's in seconds, as strings). */
function stamped(payload: unknown, at: number): unknown {
  const walk = (value: unknown, key?: string): unknown => {
    if (Array.isArray(value)) return value.map((item) => walk(item));
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    if (key === 'timestamp' || key === 'time') return typeof value === 'string' ? String(Math.floor(at / 1000)) : at;
    return value;
  };
  return walk(payload);
}

describe('control events end to end', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => system.stop());

  const texts = (user: string) => replies(system.graph, user).map((reply) => reply.text);
  const callsTo = (user: string) =>
    system.graph.requests.filter((r) => {
      const body = r.body as { to?: string; recipient?: { id?: string } } | undefined;
      return body?.to === user || body?.recipient?.id === user;
    });

  it('steps aside after a reply from the WhatsApp Business app, and comes back when control is passed back', async () => {
    const whatsapp = fixtures('whatsapp.json');
    const user = '34600111222';
    const start = Date.now() - 60_000;
    expect((await system.deliver('whatsapp', stamped(whatsapp.smb_message_echo_text, start))).status).toBe(200);
    const written = whatsAppText(user, 'vale, gracias', { timestamp: Math.floor((start + 10_000) / 1000) });
    expect((await system.deliver('whatsapp', written)).status).toBe(200);
    expect((await system.deliver('whatsapp', stamped(whatsapp.control_passed, start + 20_000))).status).toBe(200);

    // Answered in the conversation's order: the message written while the business had it got nothing.
    await system.graph.waitFor(() => texts(user).includes(BACK));
    expect(texts(user)).toEqual([BACK]);
    expect(callsTo(user)).toHaveLength(1);
    // Answered again, knowing what was written meanwhile (kept in the history, read with the new message).
    expect(await say(system, 'whatsapp', user, 'hola')).toMatch(/^echo: vale, gracias\s+hola/);
  });

  it("steps aside while Meta's inbox has the thread, and answers again once it is passed back", async () => {
    const messenger = fixtures('messenger.json');
    const user = '6000000000000001';
    const start = Date.now() - 60_000;
    for (const [name, at] of [
      ['take_thread_control', start],
      ['standby_message', start + 5_000],
      ['inbox_echo', start + 8_000],
    ] as const) {
      expect((await system.deliver('messenger', stamped(messenger[name], at))).status).toBe(200);
    }
    const written = pageText('page', user, 'hello?', { mid: 'm_during_inbox', timestamp: start + 10_000 });
    expect((await system.deliver('messenger', written)).status).toBe(200);
    expect((await system.deliver('messenger', stamped(messenger.pass_thread_control, start + 20_000))).status).toBe(
      200,
    );

    await system.graph.waitFor(() => texts(user).includes(BACK));
    expect(texts(user)).toEqual([BACK]);
    expect(await say(system, 'messenger', user, 'hello again')).toMatch(/^echo: hello\?\s+hello again/);
  });
});
