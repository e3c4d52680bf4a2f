import { readFileSync } from 'node:fs';
import path from 'node:path';
import { translatorFor } from '../src/i18n/translator';
import { firstOf } from './helpers/present';
import { replies } from './helpers/replies';
import { say } from './helpers/say';
import { startSystem, type TestSystem } from './helpers/system';

/**
 * Meta's own inbox as the handoff target through the whole product: `/human` on Messenger passes
 * thread control to the Page Inbox (Conversation Routing's pass_thread_control), and the
 * inbox passing it back (a `messaging_handovers` event) gives the conversation back to the
 * assistant, which says so and answers again.
 */
const en = translatorFor('en');
const PAGE_INBOX_APP_ID = '263902037430900';

const passedBack = (at: number) => {
  const fixtures = JSON.parse(
    readFileSync(path.join(__dirname, 'fixtures', 'handover', 'messenger.json'), 'utf8'),
  ) as Record<string, { entry: Array<{ time: number; messaging: Array<{ timestamp: number }> }> }>;
  const event = structuredClone(fixtures.pass_thread_control!);
  for (const entry of event.entry) {
    entry.time = at;
    for (const item of entry.messaging) item.timestamp = at;
  }
  return event;
};

describe("handing a conversation to Meta's inbox", () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem({ env: { HANDOFF_TARGET: 'meta-inbox' } });
  });
  afterAll(async () => system.stop());

  it('passes thread control to the Page Inbox on /human, and answers again when it is passed back', async () => {
    const user = '6000000000000001';
    expect(await say(system, 'messenger', user, '/human')).toBe(en('handoff.requested.anytime'));
    const passes = () => system.graph.requests.filter((r) => r.path.endsWith('/me/pass_thread_control'));
    await system.graph.waitFor(() => passes().length === 1);
    expect(firstOf(passes()).body).toMatchObject({ recipient: { id: user }, target_app_id: PAGE_INBOX_APP_ID });

    expect((await system.deliver('messenger', passedBack(Date.now()))).status).toBe(200);
    await system.graph.waitFor(() => replies(system.graph, user).some((r) => r.text === en('handoff.back')));
    expect(await say(system, 'messenger', user, 'thanks')).toContain('thanks');
  });
});
