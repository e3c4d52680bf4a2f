import { FakeModel } from './helpers/fake-model';
import { pageText } from './helpers/payloads';
import { startSystem, type TestSystem } from './helpers/system';
import { only } from './helpers/present';

/**
 * The model times out for real (LLM_TIMEOUT_MS is small, the fake answers too late): the turn is
 * retried a bounded number of times, and the user gets either the answer or one apology, once.
 */
describe('model failures', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());
  const delivered = () => system.graph.sentTexts().filter((s) => s.request.answeredWith === 200);

  it('retries a timed-out model call and answers once when a later try succeeds', async () => {
    const model = new FakeModel();
    model.script({ status: 200, delayMs: 1500, body: FakeModel.completion('fake-fast', 'too late') }, 2);
    system = await startSystem({ model, env: { LLM_TIMEOUT_MS: '300', TURN_ATTEMPTS: '4' } });
    await system.deliver('messenger', pageText('page', '2000301', 'third time lucky?'));
    await system.graph.waitFor(() => delivered().length === 1, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(delivered().map((s) => s.text)).toEqual(['echo: third time lucky? (history: 0)']);
    expect(model.chatRequests()).toHaveLength(3);
  });

  it('apologises once after TURN_ATTEMPTS timed-out tries, never silence and never twice', async () => {
    const model = new FakeModel();
    model.script({ status: 200, delayMs: 1500, body: FakeModel.completion('fake-fast', 'too late') }, 3);
    system = await startSystem({ model, env: { LLM_TIMEOUT_MS: '300', TURN_ATTEMPTS: '3' } });
    await system.deliver('messenger', pageText('page', '2000302', 'hello?'));
    await system.graph.waitFor(() => delivered().length === 1, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(delivered()).toHaveLength(1);
    expect(only(delivered()).text).toMatch(/^Sorry, I couldn't come up with an answer/);
    expect(model.chatRequests()).toHaveLength(3);
  });
});
