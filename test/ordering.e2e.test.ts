import { createLogger } from '../src/logging';
import { startWorkers } from '../workers/worker';
import { FakeModel } from './helpers/fake-model';
import { whatsAppText } from './helpers/payloads';
import { startSystem, type TestSystem } from './helpers/system';
import { defined } from './helpers/present';

/**
 * With several worker processes (here: two independent worker sets, each with its own Redis
 * connections, as separate processes would have), one user's messages are still answered one at a
 * time and in order, while another user is not held up behind a slow conversation.
 */
describe('turn order across workers', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  it('answers one user in order, one turn at a time, with two worker sets competing', async () => {
    const model = new FakeModel();
    system = await startSystem({ model });
    const second = await startWorkers(system.config, createLogger({ level: 'silent', name: 'second' }));
    try {
      const user = '15550007777';
      const t = Math.floor(Date.now() / 1000);
      for (let i = 1; i <= 6; i += 1) {
        // Every model call takes 150 ms, so overlapping turns would be visible.
        model.script({ status: 200, delayMs: 150, body: FakeModel.completion('fake', `answer ${i}`) });
      }
      for (let i = 1; i <= 6; i += 1) {
        await system.deliver('whatsapp', whatsAppText(user, `message ${i}`, { timestamp: t + i }));
      }
      await system.graph.waitFor(() => system.graph.sentTexts().length === 6, 20_000);
      expect(system.graph.sentTexts().map((s) => s.text)).toEqual([1, 2, 3, 4, 5, 6].map((i) => `answer ${i}`));
      // The model saw the messages in order, each after the previous answer was stored.
      const asked = system.model.chatRequests().map((r) => defined(r.messages?.at(-1)).content);
      expect(asked).toEqual([1, 2, 3, 4, 5, 6].map((i) => `message ${i}`));
      const histories = system.model.chatRequests().map((r) => defined(r.messages).length);
      expect(histories).toEqual([2, 4, 6, 8, 10, 12]);
    } finally {
      await second.close();
    }
  });

  it('does not hold other users up behind a slow conversation', async () => {
    const model = new FakeModel((body) => {
      const last = body.messages?.at(-1)?.content;
      return `ok ${String(last)}`;
    });
    model.script({ status: 200, delayMs: 3000, body: FakeModel.completion('fake', 'slow answer') });
    system = await startSystem({ model });
    await system.deliver('whatsapp', whatsAppText('1000', 'slow one'));
    await system.model.waitFor((r) => r.length === 1);
    await system.deliver('whatsapp', whatsAppText('2000', 'quick one'));
    await system.graph.waitFor(() => system.graph.sentTexts().length >= 1);
    expect(system.graph.sentTexts()[0]).toMatchObject({ to: '2000', text: 'ok quick one' });
    await system.graph.waitFor(() => system.graph.sentTexts().length === 2);
  });
});
