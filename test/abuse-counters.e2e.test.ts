import { replies } from './helpers/replies';
import { codeIn, say } from './helpers/say';
import { startSystem, type TestSystem } from './helpers/system';

/**
 * The counters that protect everyone else from one person, as an attacker meets them: wrong link
 * codes and fair-use counts outlive the attacker's own `/forget all`, the whole deployment takes
 * only so many wrong codes an hour, and when a code is redeemed every app of its owner is told at
 * once and can undo the link with `/unlink`.
 */

const WA = '16505550466';
const PSID = '7384920156300466';
const IGSID = '1784140211230466';
const WRONG = '/link AAAA-AAAA-AAAA';

describe('counters that protect others', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  async function forgetAll(app: 'whatsapp' | 'messenger', from: string) {
    expect(await say(system, app, from, '/forget all')).toMatch(/cannot be undone/);
    expect(await say(system, app, from, 'yes')).toMatch(/erased everything/);
  }

  it('keeps refusing link guesses after the guesser erases themselves with /forget all', async () => {
    // Burst off the path: it is the link tries under test, not the command burst.
    system = await startSystem({ env: { LIMIT_BURST: '100/1m' } });
    const strangersCode = codeIn(await say(system, 'instagram', IGSID, '/link'));
    for (let i = 0; i < 5; i += 1) expect(await say(system, 'whatsapp', WA, WRONG)).toMatch(/not valid/);
    expect(await say(system, 'whatsapp', WA, WRONG)).toMatch(/Too many wrong codes/);
    await forgetAll('whatsapp', WA);
    // The count held: even the right code is refused, and the stranger stays unlinked.
    expect(await say(system, 'whatsapp', WA, `/link ${strangersCode}`)).toMatch(/Too many wrong codes/);
    expect(await say(system, 'instagram', IGSID, '/unlink')).toMatch(/not linked/);
  });

  it('keeps the daily cap after /forget all, and says so again instead of going quiet', async () => {
    system = await startSystem({ env: { LIMIT_USER_DAILY: '2' } });
    expect(await say(system, 'messenger', PSID, 'one')).toBe('echo: one (history: 0)');
    expect(await say(system, 'messenger', PSID, 'two')).toBe('echo: two (history: 2)');
    expect(await say(system, 'messenger', PSID, 'three')).toMatch(/^You've reached today's limit of messages/);
    await forgetAll('messenger', PSID);
    expect(await say(system, 'messenger', PSID, 'four')).toMatch(/^You've reached today's limit of messages/);
    expect(system.model.chatRequests()).toHaveLength(2);
  });

  it('refuses every code, the right one included, once the deployment had LINK_WRONG_CODES_PER_HOUR wrong ones', async () => {
    system = await startSystem({ env: { LINK_WRONG_CODES_PER_HOUR: '3' } });
    const code = codeIn(await say(system, 'whatsapp', WA, '/link'));
    // Three accounts, one wrong code each: none is near its own 5 an hour.
    for (const guesser of ['7384920156300901', '7384920156300902', '7384920156300903']) {
      expect(await say(system, 'messenger', guesser, WRONG)).toMatch(/not valid/);
    }
    expect(await say(system, 'instagram', IGSID, `/link ${code}`)).toMatch(/Too many wrong codes/);
    expect(await say(system, 'instagram', IGSID, '/unlink')).toMatch(/not linked/);
  });

  it("tells every app of the code's owner at once, and /unlink from any of them undoes the link", async () => {
    system = await startSystem({ env: { LLM_MODEL_THINKING: 'fake-think' } });
    // The owner: WhatsApp and Messenger, linked.
    const first = codeIn(await say(system, 'whatsapp', WA, '/link'));
    expect(await say(system, 'messenger', PSID, `/link ${first}`)).toMatch(/Linked with WhatsApp/);
    await system.graph.waitFor(() => replies(system.graph, WA).length >= 2);
    await say(system, 'whatsapp', WA, '/think');
    // Someone else gets hold of the owner's next code and joins from Instagram.
    const second = codeIn(await say(system, 'messenger', PSID, '/link'));
    expect(await say(system, 'instagram', IGSID, `/link ${second}`)).toMatch(/Linked with Messenger and WhatsApp/);
    await say(system, 'instagram', IGSID, 'what do they keep?');
    expect(system.model.chatRequests().at(-1)?.model).toBe('fake-think');
    // Both of the owner's apps got a Send API call naming the app and the way back.
    const told = (to: string) =>
      replies(system.graph, to).some((r) => /Instagram account was just linked.*send \/unlink/.test(r.text));
    await system.graph.waitFor(() => told(WA) && told(PSID));
    // The owner answers from Messenger, which is not the account the group is keyed by.
    expect(await say(system, 'messenger', PSID, '/unlink')).toMatch(/^Unlinked/);
    const unlinked = (to: string) => replies(system.graph, to).some((r) => /unlinked from/.test(r.text));
    await system.graph.waitFor(() => unlinked(WA) && unlinked(IGSID));
    // Instagram is its own person again: no link left, and the owner's mode no longer applies.
    expect(await say(system, 'instagram', IGSID, '/unlink')).toMatch(/not linked/);
    await say(system, 'instagram', IGSID, 'and now?');
    expect(system.model.chatRequests().at(-1)?.model).toBe('fake-fast');
  });
});
