import { translatorFor } from '../src/i18n/translator';
import { ChildWorker, childEnv } from './helpers/child-worker';
import { FakeHelpdesk, webhookHandoffEnv } from './helpers/fake-helpdesk';
import { whatsAppText } from './helpers/payloads';
import { replies } from './helpers/replies';
import { startSystem, type TestSystem } from './helpers/system';

/**
 * A handoff outlives the worker that made it: a worker SIGKILLed while the helpdesk is taking a
 * forwarded message leaves the conversation with the person's agent, and the next worker delivers
 * what is left, in order, each delivery once by its name, and still answers nothing itself.
 */
describe('handoff under a worker kill', () => {
  let system: TestSystem;
  let helpdesk: FakeHelpdesk;
  const children: ChildWorker[] = [];
  const worker = async () => {
    const env = childEnv(system.config, {
      JOB_LOCK_MS: '2000',
      JOB_STALLED_INTERVAL_MS: '1000',
      ...webhookHandoffEnv(helpdesk),
    });
    const child = new ChildWorker(env);
    children.push(child);
    await child.ready();
    return child;
  };

  afterEach(async () => {
    await Promise.all(children.splice(0).map((c) => c.stop()));
    await system?.stop();
    await helpdesk?.stop();
  });

  it('keeps the conversation with the agent and forwards every message once, in order', async () => {
    helpdesk = await new FakeHelpdesk().start();
    system = await startSystem({ workers: false, env: webhookHandoffEnv(helpdesk) });
    const user = '34600000020';
    const at = (offset: number) => Math.floor(Date.now() / 1000) + offset;
    const first = await worker();
    await system.deliver('whatsapp', whatsAppText(user, '/human', { timestamp: at(0) }));
    await system.graph.waitFor(() => replies(system.graph, user).length === 1, 20_000);
    await helpdesk.waitFor((requests) => requests.length === 1);

    // The helpdesk takes its time over the next delivery; the worker dies meanwhile.
    helpdesk.script({ status: 200, delayMs: 4000 });
    await system.deliver('whatsapp', whatsAppText(user, 'first while waiting', { timestamp: at(1) }));
    await helpdesk.waitFor((requests) => requests.length === 2);
    first.kill('SIGKILL');
    await first.exited;
    await system.deliver('whatsapp', whatsAppText(user, 'second while waiting', { timestamp: at(2) }));

    await worker();
    await helpdesk.waitFor(() => helpdesk.delivered().length === 3, 40_000);
    const texts = helpdesk.delivered().map((event) => event.body.text ?? event.body.event);
    expect(texts).toEqual(['handoff.requested', 'first while waiting', 'second while waiting']);
    expect(helpdesk.events().every((event) => event.signed)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(replies(system.graph, user).map((reply) => reply.text)).toEqual([
      translatorFor('en')('handoff.requested.anytime'),
    ]);
  }, 70_000);
});
