import { BUSY_BACKSTOP_MS } from '../src/turn/claim';
import { FakeModel } from './helpers/fake-model';
import { whatsAppText } from './helpers/payloads';
import { startSystem, type TestSystem } from './helpers/system';
import { defined, firstOf } from './helpers/present';

/**
 * What capacity rests on, as the user sees it: a message whose conversation is busy is answered
 * as soon as the turn ahead of it finishes (woken, not left to a backstop delay or polling).
 * Throughput, Redis commands per turn and memory are measured by `npm run bench:capacity`.
 */
describe('capacity', () => {
  let system: TestSystem | undefined;
  afterEach(async () => {
    await system?.stop();
    system = undefined;
  });

  it('answers the next message of a busy conversation right after the turn ahead of it', async () => {
    const model = new FakeModel();
    // The first turn thinks for 1.5 s; the two messages behind it wait for it, then run at once.
    model.script({ status: 200, delayMs: 1500, body: FakeModel.completion('fake', 'answer 1') });
    model.script({ status: 200, body: FakeModel.completion('fake', 'answer 2') });
    model.script({ status: 200, body: FakeModel.completion('fake', 'answer 3') });
    system = await startSystem({ model });
    const user = '15550009999';
    const t = Math.floor(Date.now() / 1000);
    await system.deliver('whatsapp', whatsAppText(user, 'first', { timestamp: t }));
    await system.model.waitFor((requests) => requests.length === 1);
    await system.deliver('whatsapp', whatsAppText(user, 'second', { timestamp: t + 1 }));
    await system.deliver('whatsapp', whatsAppText(user, 'third', { timestamp: t + 2 }));
    await system.graph.waitFor(() => system!.graph.sentTexts().length === 3, BUSY_BACKSTOP_MS);
    const sent = system.graph.sentTexts();
    expect(sent.map((s) => s.text)).toEqual(['answer 1', 'answer 2', 'answer 3']);
    // Far below the backstop: each was woken by the turn before it.
    expect(defined(sent[1]).request.at - firstOf(sent).request.at).toBeLessThan(1000);
    expect(defined(sent[2]).request.at - defined(sent[1]).request.at).toBeLessThan(1000);
  });
});
