import { freePort } from '../sandbox/redis';
import { FakeModel, type ChatBody } from './helpers/fake-model';
import { whatsAppText } from './helpers/payloads';
import { parsePrometheusText, sampleValue } from './helpers/prometheus-text';
import { replies } from './helpers/replies';
import { startSystem, type TestSystem } from './helpers/system';
import { defined, firstOf } from './helpers/present';

/**
 * Auto mode as a person meets it: the default where DEFAULT_MODE is unset, quick answers from the
 * fast model for casual questions and the thinking model for hard ones (in their own language),
 * a router model's verdict where one is configured and the signals when it is slow, thinking's
 * spent limit answered fast and said once, the modes still forced by command, and `/why`.
 * What the fake model received shows which mode answered.
 */
const MODELS = {
  LLM_MODEL_FAST: 'fake-fast',
  LLM_MODEL_THINKING: 'fake-thinking',
  LLM_MAX_TOKENS_THINKING: '3000',
  // testEnv pins fast for the rest of the suite; these tests run with the product's default.
  DEFAULT_MODE: undefined,
};

describe('auto mode', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  const texts = (to: string) => replies(system.graph, to).map((r) => r.text);
  const answered = (body: ChatBody) => body.model !== 'fake-router';
  const asked = () =>
    system.model
      .chatRequests()
      .filter(answered)
      .map((r) => r as ChatBody & { max_tokens?: number; max_completion_tokens?: number });
  async function say(user: string, text: string): Promise<string> {
    const before = texts(user).length;
    await system.deliver('whatsapp', whatsAppText(user, text));
    await system.graph.waitFor(() => texts(user).length > before);
    return defined(texts(user)[before]);
  }
  async function workerMetrics() {
    const res = await fetch(`http://127.0.0.1:${defined(system.workers).metricsPort}/metrics`);
    return parsePrometheusText(await res.text());
  }

  it('is the default: casual questions go to the fast model, hard ones in any language to the thinking model', async () => {
    system = await startSystem({ env: { ...MODELS, METRICS_PORT: String(await freePort()) } });
    const user = '16505550801';
    expect(await say(user, 'hi! how are you today?')).toBe('echo: hi! how are you today? (history: 0)');
    await say(user, 'I have had a fever and chest pain since yesterday, should I see a doctor?');
    await say(user, '¿Puede mi casero subirme el alquiler a mitad de contrato?');
    await say(user, 'Quanto fica 1250 * 0,07 + 18?');
    await say(user, 'who wrote Hamlet?');
    expect(asked().map((r) => [r.model, r.max_tokens ?? r.max_completion_tokens])).toEqual([
      ['fake-fast', 1024],
      ['fake-thinking', 3000],
      ['fake-thinking', 3000],
      ['fake-thinking', 3000],
      ['fake-fast', 1024],
    ]);
    // The thinking answer was asked to reason, the fast one was not.
    const systemPrompt = (r: ChatBody) => String(r.messages?.[0]?.content);
    expect(systemPrompt(defined(asked()[1]))).toMatch(/reason the question through/);
    expect(systemPrompt(firstOf(asked()))).not.toMatch(/reason the question through/);
    const metrics = await workerMetrics();
    const routes = (route: string, reason: string) =>
      sampleValue(metrics, 'threadline_auto_routes_total', { route, reason });
    expect([routes('fast', 'casual'), routes('thinking', 'health'), routes('thinking', 'legal')]).toEqual([1, 1, 1]);
    expect([routes('thinking', 'maths'), routes('fast', 'simple')]).toEqual([1, 1]);
    expect(sampleValue(metrics, 'threadline_turns_total', { mode: 'thinking', outcome: 'answer' })).toBe(3);
  });

  it('/why says which mode auto chose for the last answer, and why', async () => {
    system = await startSystem({ env: MODELS });
    const user = '16505550802';
    await say(user, 'Should I pay off my mortgage early or invest the money in an index fund?');
    const why = await say(user, '/why');
    expect(why).toMatch(/^My last answer was made in thinking mode by the model fake-thinking\./);
    expect(why).toContain('Auto mode chose thinking mode for it: your message looked like a question about money.');
    await say(user, 'thanks!');
    expect(await say(user, '/why')).toContain('Auto mode chose fast mode for it: your message was small talk.');
  });

  it('asks the router model for a one-word verdict and answers in the mode it names', async () => {
    const model = new FakeModel((body) => (body.model === 'fake-router' ? 'Thinking.' : FakeModel.echo(body)));
    system = await startSystem({
      model,
      env: { ...MODELS, LLM_MODEL_ROUTER: 'fake-router', METRICS_PORT: String(await freePort()) },
    });
    const user = '16505550803';
    // Nothing in the words says "hard": only the router makes this a thinking turn.
    await say(user, 'tell me about the moon');
    const [routerCall, answer] = system.model.chatRequests() as Array<ChatBody & { max_tokens?: number }>;
    expect(routerCall).toMatchObject({ model: 'fake-router', max_tokens: 16 });
    expect(defined(routerCall!.messages).map((m) => m.role)).toEqual(['system', 'user']);
    expect(firstOf(defined(routerCall!.messages)).content).toMatch(/exactly one word/);
    expect(defined(routerCall!.messages?.[1]).content).toBe('tell me about the moon');
    expect(answer!.model).toBe('fake-thinking');
    expect(await say(user, '/why')).toContain('Auto mode chose thinking mode for it: a small routing model judged so.');
    const metrics = await workerMetrics();
    expect(sampleValue(metrics, 'threadline_auto_router_calls_total', { result: 'verdict' })).toBe(1);
    expect(sampleValue(metrics, 'threadline_auto_routes_total', { route: 'thinking', reason: 'router' })).toBe(1);
  });

  it('falls back to the signals when the router misses its time budget', async () => {
    const model = new FakeModel();
    model.script({ status: 200, delayMs: 3000, body: FakeModel.completion('fake-router', 'fast') }, 1, (r) => {
      return (r.body as ChatBody | undefined)?.model === 'fake-router';
    });
    system = await startSystem({
      model,
      env: {
        ...MODELS,
        LLM_MODEL_ROUTER: 'fake-router',
        LLM_TIMEOUT_MS_ROUTER: '300',
        METRICS_PORT: String(await freePort()),
      },
    });
    const user = '16505550804';
    await say(user, 'Welche Dosis Ibuprofen ist bei Kopfschmerzen sicher?');
    const [routerCall, answer] = system.model.requests.filter((r) => r.path.endsWith('/chat/completions'));
    expect((answer!.body as ChatBody).model).toBe('fake-thinking');
    // The answer was asked for well before the router's answer would have come.
    expect(answer!.at - routerCall!.at).toBeLessThan(1500);
    const metrics = await workerMetrics();
    expect(sampleValue(metrics, 'threadline_auto_router_calls_total', { result: 'timeout' })).toBe(1);
    expect(sampleValue(metrics, 'threadline_auto_routes_total', { route: 'thinking', reason: 'health' })).toBe(1);
  });

  it("charges each answer to the mode it used, and answers fast once thinking's limit is spent, saying so once", async () => {
    system = await startSystem({ env: { ...MODELS, LIMIT_THINKING: '1/1d', LIMIT_FAST: '10/1h' } });
    const user = '16505550805';
    await say(user, 'Can you calculate the monthly payment on a 200000 loan at 4% over 25 years?');
    const second = await say(user, 'What are the side effects of antibiotics?');
    const third = await say(user, 'Is it legal to record a phone call without consent?');
    expect(await say(user, '/why')).toContain(
      "Auto mode chose fast mode for it: it needed thinking mode, but thinking mode's limit was used up.",
    );
    await say(user, 'ok thanks');
    expect(asked().map((r) => r.model)).toEqual(['fake-thinking', 'fake-fast', 'fake-fast', 'fake-fast']);
    expect(second).toMatch(
      /^echo: What are the side effects of antibiotics\? \(history: 2\)\n\n\(This one needed thinking mode, but its limit is used up \(1 per day\), so I answered quickly\. It resets in 2[34] hours( \d+ minutes?)?\.\)$/,
    );
    expect(third).toBe('echo: Is it legal to record a phone call without consent? (history: 4)');
    const limits = await say(user, '/limits');
    expect(limits).toMatch(/^You are in auto mode\./);
    expect(limits).toContain('fast mode: 7 of 10 per hour left');
    expect(limits).toContain('thinking mode: 0 of 1 per day left');
  });

  it('gives way to a forced mode until /auto returns to it', async () => {
    system = await startSystem({ env: MODELS });
    const user = '16505550806';
    const help = await say(user, '/help all');
    expect(help).toContain('Modes (you are in auto mode):\n/auto: I pick fast or thinking per message\n');
    expect(await say(user, '/think')).toMatch(/^Switched to thinking mode: .* Send \/auto to switch back\.$/);
    // Auto is offered as the way back from a forced mode, not where the person already is.
    expect(defined(replies(system.graph, user).at(-1)).choices).toEqual(['/auto', '/fast', '/contemplate']);
    await say(user, 'hello');
    const back = await say(user, '/auto');
    expect(back).toMatch(/^Switched to auto mode: I pick .* health, legal, money, .*limit of the mode it used\.$/);
    expect(defined(replies(system.graph, user).at(-1)).choices).toEqual(['/fast', '/think', '/contemplate']);
    await say(user, 'hello');
    expect(asked().map((r) => r.model)).toEqual(['fake-thinking', 'fake-fast']);
  });

  it('is a choice a deployment that defaults to fast offers by command', async () => {
    system = await startSystem({ env: { ...MODELS, DEFAULT_MODE: 'fast' } });
    const user = '16505550807';
    await say(user, 'What is the best strategy to pay down credit card debt?');
    expect(await say(user, '/auto')).toMatch(/^Switched to auto mode: .* Send \/fast to switch back\.$/);
    await say(user, 'What is the best strategy to pay down credit card debt?');
    expect(asked().map((r) => r.model)).toEqual(['fake-fast', 'fake-thinking']);
  });
});
