import { dumpPrefix } from './helpers/redis-dump';
import { replies } from './helpers/replies';
import { codeIn, say } from './helpers/say';
import { startSystem, type TestSystem } from './helpers/system';
import { defined } from './helpers/present';

/**
 * One person across WhatsApp, Messenger and Instagram, as they meet it: `/link` gives a code,
 * `/link <code>` from another app joins them, both sides are told, mode and limits are shared
 * while each chat keeps its own history, guessing is limited, and `/unlink` undoes it.
 */

const WA = '16505550388';
const PSID = '7384920156300033';
const IGSID = '1784140211230044';

describe('/link and /unlink', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  const lastModel = () => system.model.chatRequests().at(-1)?.model;

  it('joins two apps: both told, mode and daily limit shared, history kept per chat, code single-use and stored hashed', async () => {
    system = await startSystem({ env: { LLM_MODEL_THINKING: 'fake-think', LIMIT_USER_DAILY: '3' } });
    const offer = await say(system, 'whatsapp', WA, '/link');
    const code = codeIn(offer);
    expect(offer).toMatch(/10 minutes/);
    const dump = JSON.stringify(await dumpPrefix(system.redis, system.config.redis.prefix));
    expect(dump).not.toContain(code);

    expect(await say(system, 'messenger', PSID, `/link ${code}`)).toMatch(/Linked with WhatsApp/);
    await system.graph.waitFor(() => replies(system.graph, WA).length >= 2);
    expect(defined(replies(system.graph, WA)[1]).text).toMatch(/Messenger account was just linked/);
    expect(await say(system, 'instagram', IGSID, `/link ${code}`)).toMatch(/not valid/);

    // The mode chosen on Messenger holds on WhatsApp.
    await say(system, 'messenger', PSID, '/think');
    expect(await say(system, 'whatsapp', WA, 'first question')).toBe('echo: first question (history: 0)');
    expect(lastModel()).toBe('fake-think');
    // History stays per chat; the daily limit of 3 is one budget across both.
    expect(await say(system, 'messenger', PSID, 'second question')).toBe('echo: second question (history: 0)');
    await say(system, 'messenger', PSID, 'third question');
    expect(await say(system, 'whatsapp', WA, 'fourth question')).toMatch(/limit|tomorrow|used/i);

    // Unlinking: the other side is told, and each account is its own person again.
    expect(await say(system, 'messenger', PSID, '/unlink')).toMatch(/Unlinked/);
    await system.graph.waitFor(() =>
      replies(system.graph, WA).some((r) => /apps were unlinked from Messenger/.test(r.text)),
    );
    expect(await say(system, 'messenger', PSID, 'after unlink')).toBe('echo: after unlink (history: 4)');
    expect(lastModel()).toBe('fake-fast');
  });

  it('allows 5 wrong codes an hour per person, then refuses even the right one', async () => {
    system = await startSystem();
    const code = codeIn(await say(system, 'whatsapp', WA, '/link'));
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i += 1) expect(await say(system, 'instagram', IGSID, `/link ${wrong}`)).toMatch(/not valid/);
    expect(await say(system, 'instagram', IGSID, `/link ${code}`)).toMatch(/Too many wrong codes/);
    expect(await say(system, 'messenger', PSID, `/link ${code}`)).toMatch(/Linked with WhatsApp/);
  });

  it('refuses a code sent back to the app that made it', async () => {
    system = await startSystem();
    const code = codeIn(await say(system, 'messenger', PSID, '/link'));
    expect(await say(system, 'messenger', PSID, `/link ${code}`)).toMatch(/same account/);
  });
});
