import { ChildWorker, childEnv } from './helpers/child-worker';
import { FakeModel } from './helpers/fake-model';
import { whatsAppText } from './helpers/payloads';
import { startSystem, type TestSystem } from './helpers/system';

/**
 * Real worker processes killed the way an orchestrator kills them. The web process and the fakes
 * run in the test; each worker is `workers/main.ts` in a child process. Whatever happens to the
 * process, the user gets exactly one answer.
 */
describe('worker processes dying or stopping mid-turn', () => {
  let system: TestSystem;
  const children: ChildWorker[] = [];
  const worker = async (overrides: Record<string, string> = {}) => {
    const child = new ChildWorker(
      childEnv(system.config, { JOB_LOCK_MS: '2000', JOB_STALLED_INTERVAL_MS: '1000', ...overrides }),
    );
    children.push(child);
    await child.ready();
    return child;
  };
  const delivered = () => system.graph.sentTexts().filter((s) => s.request.answeredWith === 200);

  afterEach(async () => {
    await Promise.all(children.splice(0).map((c) => c.stop()));
    await system?.stop();
  });

  it('answers once when the worker is SIGKILLed while the model is thinking', async () => {
    const model = new FakeModel();
    model.script({
      status: 200,
      delayMs: 5000,
      body: FakeModel.completion('fake-fast', 'answer from the dead worker'),
    });
    system = await startSystem({ workers: false, model });
    const first = await worker();
    expect((await system.deliver('whatsapp', whatsAppText('15550001001', 'are you alive?'))).status).toBe(200);
    await model.waitFor((r) => r.length === 1);
    first.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    await worker();
    await system.graph.waitFor(() => delivered().length === 1, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(delivered().map((s) => s.text)).toEqual(['echo: are you alive? (history: 0)']);
    expect(model.chatRequests()).toHaveLength(2);
  }, 45_000);

  it('on SIGTERM finishes the turn in flight, exits 0, and the answer goes out once', async () => {
    const model = new FakeModel();
    model.script({ status: 200, delayMs: 2000, body: FakeModel.completion('fake-fast', 'finished before exit') });
    system = await startSystem({ workers: false, model });
    const first = await worker({ SHUTDOWN_GRACE_MS: '15000' });
    expect((await system.deliver('whatsapp', whatsAppText('15550001002', 'deploy now'))).status).toBe(200);
    await model.waitFor((r) => r.length === 1);
    first.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
    expect(first.output.some((line) => line.includes('"msg":"turn decided"'))).toBe(true);

    await worker();
    await system.graph.waitFor(() => delivered().length === 1, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(delivered().map((s) => s.text)).toEqual(['finished before exit']);
    expect(model.chatRequests()).toHaveLength(1);
  }, 45_000);

  it('on SIGTERM hands a turn longer than the grace period back, and the next worker answers once', async () => {
    const model = new FakeModel();
    model.script({ status: 200, delayMs: 8000, body: FakeModel.completion('fake-fast', 'too late') });
    system = await startSystem({ workers: false, model });
    const first = await worker({ SHUTDOWN_GRACE_MS: '500' });
    expect(
      (
        await system.deliver('messenger', {
          object: 'page',
          entry: [
            {
              id: '100000000000001',
              time: Date.now(),
              messaging: [
                {
                  sender: { id: '2000101' },
                  recipient: { id: '100000000000001' },
                  timestamp: Date.now(),
                  message: { mid: 'm_SIGTERM_LONG', text: 'slow question' },
                },
              ],
            },
          ],
        })
      ).status,
    ).toBe(200);
    await model.waitFor((r) => r.length === 1);
    const stoppedAt = Date.now();
    first.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    expect(first.output.some((line) => line.includes('turn handed back'))).toBe(true);

    await worker();
    await system.graph.waitFor(() => delivered().length === 1, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(delivered().map((s) => s.text)).toEqual(['echo: slow question (history: 0)']);
  }, 45_000);
});
