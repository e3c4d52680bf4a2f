import { FakeGraph } from './helpers/fake-graph';
import { FakeModel } from './helpers/fake-model';
import { pageText, whatsAppText } from './helpers/payloads';
import type { RecordedRequest } from './helpers/http-fake';
import { startSystem, type TestSystem } from './helpers/system';
import { defined, firstOf } from './helpers/present';

/**
 * Graph fails the way Meta documents (src/platforms/NOTES.md, "Error codes"), scripted on the
 * fake Send API. What counts is what the user receives: the sends Graph accepted (answered 200).
 */
describe('sending answers when Graph fails', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  /** text sends to `user` (not read receipts, typing or seen actions) */
  const to = (user: string) => (r: RecordedRequest) => {
    const body = r.body as
      { to?: string; type?: string; recipient?: { id?: string }; message?: { text?: string } } | undefined;
    return (
      (body?.to === user && body.type === 'text') ||
      (body?.recipient?.id === user && typeof body.message?.text === 'string')
    );
  };
  const attemptsTo = (user: string) => system.graph.sentTexts().filter((s) => s.to === user);
  const deliveredTo = (user: string) => attemptsTo(user).filter((s) => s.request.answeredWith === 200);
  const settle = (ms = 1500) => new Promise((resolve) => setTimeout(resolve, ms));

  it('retries HTTP 500 then 503 and delivers the answer once', async () => {
    system = await startSystem();
    system.graph.script(
      { status: 500, body: { error: { message: 'An unknown error occurred', code: 1 } } },
      1,
      to('15550002001'),
    );
    system.graph.script({ status: 503, body: 'Service Unavailable' }, 1, to('15550002001'));
    await system.deliver('whatsapp', whatsAppText('15550002001', 'hello through the storm'));
    await system.graph.waitFor(() => deliveredTo('15550002001').length === 1);
    await settle();
    expect(attemptsTo('15550002001').map((s) => s.request.answeredWith)).toEqual([500, 503, 200]);
    expect(deliveredTo('15550002001').map((s) => s.text)).toEqual(['echo: hello through the storm (history: 0)']);
  });

  it('retries 130429 (throughput) after the Retry-After it was given, and delivers once', async () => {
    system = await startSystem();
    system.graph.script(
      { ...FakeGraph.graphError(130429, 400), headers: { 'Retry-After': '1' } },
      1,
      to('15550002002'),
    );
    await system.deliver('whatsapp', whatsAppText('15550002002', 'busy hour'));
    await system.graph.waitFor(() => deliveredTo('15550002002').length === 1);
    await settle();
    const attempts = attemptsTo('15550002002');
    expect(attempts.map((s) => s.request.answeredWith)).toEqual([400, 200]);
    expect(defined(attempts[1]).request.at - firstOf(attempts).request.at).toBeGreaterThanOrEqual(950);
  });

  it('tries 131047 (window closed) once, records it, and other users are unaffected', async () => {
    system = await startSystem();
    const closed = '15550002003';
    system.graph.script(FakeGraph.graphError(131047, 400), 1, to(closed));
    const now = Math.floor(Date.now() / 1000);
    await system.deliver('whatsapp', whatsAppText(closed, 'an old question', { timestamp: now - 60 }));
    await system.deliver('whatsapp', whatsAppText('15550002004', 'someone else'));
    await system.graph.waitFor(() => attemptsTo(closed).length === 1 && deliveredTo('15550002004').length === 1);
    await settle(2500);
    expect(attemptsTo(closed)).toHaveLength(1);

    // A message Meta delivers late, older than the refused answer: its answer is not even tried.
    await system.deliver('whatsapp', whatsAppText(closed, 'an even older one', { timestamp: now - 120 }));
    await settle(2000);
    expect(attemptsTo(closed)).toHaveLength(1);

    // The user writes again: the window is open, the answer goes out.
    await system.deliver('whatsapp', whatsAppText(closed, 'I am back', { timestamp: now + 1 }));
    await system.graph.waitFor(() => deliveredTo(closed).length === 1);
    expect(firstOf(deliveredTo(closed)).text).toMatch(/^echo: I am back/);
  });

  it('treats Messenger code 10 as the closed window: one attempt, no retry', async () => {
    system = await startSystem();
    system.graph.script(FakeGraph.graphError(10, 400, { error_subcode: 2018278 }), 1, to('2000201'));
    await system.deliver('messenger', pageText('page', '2000201', 'late reply please'));
    await system.graph.waitFor(() => attemptsTo('2000201').length === 1);
    await settle(2500);
    expect(attemptsTo('2000201')).toHaveLength(1);
  });

  it('holds back only the recipient hit by 131056; others are answered meanwhile, and order is kept', async () => {
    system = await startSystem();
    const limited = '15550002005';
    system.graph.script(FakeGraph.graphError(131056, 400), 1, to(limited));
    const t = Math.floor(Date.now() / 1000);
    await system.deliver('whatsapp', whatsAppText(limited, 'first', { timestamp: t }));
    await system.graph.waitFor(() => attemptsTo(limited).length === 1);
    await system.deliver('whatsapp', whatsAppText(limited, 'second', { timestamp: t + 1 }));
    await system.deliver('whatsapp', whatsAppText('15550002006', 'not limited'));
    await system.graph.waitFor(() => deliveredTo('15550002006').length === 1);
    // The other user is answered while the limited one still waits (the pair limit backs off ~6 s).
    expect(deliveredTo(limited)).toHaveLength(0);

    await system.graph.waitFor(() => deliveredTo(limited).length === 2, 20_000);
    await settle();
    expect(deliveredTo(limited).map((s) => s.text)).toEqual(['echo: first (history: 0)', 'echo: second (history: 2)']);
    expect(attemptsTo(limited)).toHaveLength(3);
    const firstTry = firstOf(attemptsTo(limited)).request.at;
    expect(firstOf(deliveredTo(limited)).request.at - firstTry).toBeGreaterThanOrEqual(5500);
  }, 40_000);

  it('keeps the parts of a long answer in order and sends none twice when a middle part fails', async () => {
    const long = Array.from({ length: 5 }, (_, i) => `Sentence number ${i} ${'x'.repeat(900)}.`).join(' ');
    system = await startSystem({ model: new FakeModel(() => long) });
    let seen = 0;
    system.graph.script(
      { status: 502, body: { error: { message: 'bad gateway', code: 2 } } },
      1,
      (r) => to('2000202')(r) && (seen += 1) === 2,
    );
    await system.deliver('messenger', pageText('page', '2000202', 'long please'));
    await system.graph.waitFor(
      () =>
        deliveredTo('2000202').length > 0 &&
        deliveredTo('2000202')
          .map((s) => s.text)
          .join(' ') === long,
      20_000,
    );
    await settle();
    const parts = deliveredTo('2000202').map((s) => s.text);
    expect(parts.join(' ')).toBe(long);
    expect(new Set(parts).size).toBe(parts.length);
    expect(attemptsTo('2000202')).toHaveLength(parts.length + 1);
  });

  it('does not retry a bad token (190) or a WhatsApp permission error (10)', async () => {
    system = await startSystem();
    system.graph.script(FakeGraph.graphError(190, 401), 1, to('15550002007'));
    system.graph.script(FakeGraph.graphError(10, 403), 1, to('15550002008'));
    await system.deliver('whatsapp', whatsAppText('15550002007', 'token?'));
    await system.deliver('whatsapp', whatsAppText('15550002008', 'permission?'));
    await system.graph.waitFor(() => attemptsTo('15550002007').length === 1 && attemptsTo('15550002008').length === 1);
    await settle(2500);
    expect(attemptsTo('15550002007')).toHaveLength(1);
    expect(attemptsTo('15550002008')).toHaveLength(1);
  });
});
