import { PendingQuestions } from '../src/conversation/pending-question';
import { conversationKey } from '../src/core/inbound';
import { stateKeys } from '../src/redis/keys';
import { notice } from '../src/turn-state/turn-context';
import { PENDING_ANSWER_HANDLERS } from '../src/quick-answers/open-question-reply';
import {
  IG_ACCOUNT_ID,
  pagePostback,
  pageQuickReplyTap,
  pageText,
  PAGE_ID,
  whatsAppButtonTap,
  whatsAppTemplateButtonTap,
  whatsAppText,
  WA_PHONE_NUMBER_ID,
} from './helpers/payloads';
import { loadPublicFixtures } from './helpers/public-fixtures';
import { replies, sleep } from './helpers/replies';
import { startSystem, type TestSystem } from './helpers/system';
import { defined, firstOf } from './helpers/present';

/**
 * Taps on buttons the bot did not make, and answers to the yes/no questions the bot asks, as the
 * person meets them through the fake Send API.
 */
describe('postbacks and yes/no questions', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  const waitForReplies = (count: number, to?: string) =>
    system.graph.waitFor(() => replies(system.graph, to).length >= count);

  it('welcomes a Get Started tap with a payload of its own, and runs a postback that carries a command', async () => {
    system = await startSystem();
    await system.deliver('messenger', pagePostback('page', '3000100', 'GET_STARTED_PAYLOAD', 'Get Started'));
    await waitForReplies(1, '3000100');
    await system.deliver('messenger', pagePostback('page', '3000100', '/help', 'Help'));
    await waitForReplies(2, '3000100');
    const [welcome, help] = replies(system.graph, '3000100');
    expect(welcome!.text).toMatch(/AI assistant/);
    expect(welcome!.choices).toEqual(['/fast', '/think', '/contemplate']);
    expect(help!.text).toMatch(/\/help all/);
    expect(system.model.chatRequests()).toHaveLength(0);
  });

  it('answers an Instagram ice breaker, and a redelivered Messenger postback without a mid once', async () => {
    system = await startSystem();
    await system.deliver('instagram', pagePostback('instagram', '3000101', 'ICE_BREAKER_1', 'What can you do?'));
    await waitForReplies(1, '3000101');
    const tap = pagePostback('page', '3000102', 'MENU_ITEM', 'Menu', { mid: null, timestamp: 1_790_000_000_000 });
    await system.deliver('messenger', tap);
    await system.deliver('messenger', tap);
    await waitForReplies(1, '3000102');
    await sleep(300);
    expect(replies(system.graph, '3000102')).toHaveLength(1);
    expect(firstOf(replies(system.graph, '3000101')).text).toMatch(/AI assistant/);
  });

  describe('with a question waiting', () => {
    const KIND = 'test:colour';
    beforeAll(() => {
      PENDING_ANSWER_HANDLERS[KIND] = (question, answer) =>
        Promise.resolve({ outcome: notice(`${answer} to ${question.data?.colour}`, 'test'), mode: 'fast' });
    });
    afterAll(() => delete PENDING_ANSWER_HANDLERS[KIND]);

    /** Asks the test question as a reply the Send API accepted at `sentAt` would (null: not sent yet); resolves with its id. */
    const ask = async (
      platform: 'whatsapp' | 'messenger' | 'instagram',
      channelId: string,
      userId: string,
      sentAt: number | null = Date.now() - 60_000,
    ) => {
      const questions = new PendingQuestions(system.redis, stateKeys(system.config.redis.prefix).pendingQuestion);
      const conversation = conversationKey({ platform, channelId, userId });
      const id = await questions.ask(conversation, { kind: KIND, data: { colour: 'blue' } });
      if (sentAt !== null) await questions.markSent(conversation, id, sentAt);
      return id;
    };

    it('takes a typed yes once; a second yes goes to the model', async () => {
      system = await startSystem();
      await ask('whatsapp', WA_PHONE_NUMBER_ID, '16505550900');
      await system.deliver('whatsapp', whatsAppText('16505550900', 'Yes!'));
      await waitForReplies(1);
      await system.deliver('whatsapp', whatsAppText('16505550900', 'yes'));
      await waitForReplies(2);
      expect(replies(system.graph).map((r) => r.text)).toEqual(['yes to blue', 'echo: yes (history: 0)']);
    });

    it('takes a tapped No, and answers a tap on an expired question without guessing', async () => {
      system = await startSystem();
      const id = await ask('messenger', PAGE_ID, '3000103');
      await system.deliver('messenger', pageQuickReplyTap('page', '3000103', `/no ${id}`, 'No'));
      await waitForReplies(1, '3000103');
      await system.deliver('messenger', pageQuickReplyTap('page', '3000103', `/yes ${id}`, 'Yes'));
      await waitForReplies(2, '3000103');
      const texts = replies(system.graph, '3000103').map((r) => r.text);
      expect(texts[0]).toBe('no to blue');
      expect(texts[1]).toMatch(/expired/);
      expect(system.model.chatRequests()).toHaveLength(0);
    });

    it('drops the question when the person writes something else first', async () => {
      system = await startSystem();
      const id = await ask('whatsapp', WA_PHONE_NUMBER_ID, '16505550901');
      await system.deliver('whatsapp', whatsAppText('16505550901', 'what is the weather like?'));
      await waitForReplies(1);
      await system.deliver('whatsapp', whatsAppButtonTap('16505550901', `/yes ${id}`, 'Yes'));
      await waitForReplies(2);
      const texts = replies(system.graph).map((r) => r.text);
      expect(texts[0]).toMatch(/^echo: what is the weather/);
      expect(texts[1]).toMatch(/expired/);
    });

    it('counts a typed yes only when written after its question was sent; an earlier one is words and leaves it open', async () => {
      system = await startSystem();
      const user = '16505550902';
      const questions = new PendingQuestions(system.redis, stateKeys(system.config.redis.prefix).pendingQuestion);
      const conversation = conversationKey({ platform: 'whatsapp', channelId: WA_PHONE_NUMBER_ID, userId: user });
      // Asked, not sent yet: the person's "ok" went out while the answer asking it was being written.
      const id = await ask('whatsapp', WA_PHONE_NUMBER_ID, user, null);
      await system.deliver('whatsapp', whatsAppText(user, 'ok'));
      await waitForReplies(1, user);
      // Sent now; a yes the platform stamped earlier (sent with the message that led to it) is words too.
      await questions.markSent(conversation, id, Date.now());
      const seconds = Math.floor(Date.now() / 1000);
      await system.deliver('whatsapp', whatsAppText(user, 'yes', { timestamp: seconds - 5 }));
      await waitForReplies(2, user);
      await system.deliver('whatsapp', whatsAppText(user, 'yes', { timestamp: seconds + 2 }));
      await waitForReplies(3, user);
      expect(replies(system.graph, user).map((r) => r.text)).toEqual([
        'echo: ok (history: 0)',
        'echo: yes (history: 2)',
        'yes to blue',
      ]);
    });

    it("answers taps on buttons it did not make as the person's words, never as consent nor as an expired question", async () => {
      system = await startSystem();
      const fixtures = new Map(loadPublicFixtures().map((fixture) => [fixture.name, fixture.payload]));
      const recorded = (name: string) => defined(fixtures.get(`vercel-chat/${name}`));
      // Recorded Instagram quick replies titled "Yes" whose payloads are another bot's.
      const igUser = '200000000000001';
      await system.deliver('instagram', recorded('instagram-sample-messages.md#Quick reply'));
      await waitForReplies(1, igUser);
      const id = await ask('instagram', IG_ACCOUNT_ID, igUser);
      await system.deliver('instagram', recorded('replay-dm-instagram.json#quickReply'));
      await waitForReplies(2, igUser);
      // The question is still open to its own buttons.
      await system.deliver('instagram', pageQuickReplyTap('instagram', igUser, `/yes ${id}`, 'Yes'));
      await waitForReplies(3, igUser);
      expect(replies(system.graph, igUser).map((r) => r.text)).toEqual([
        'echo: Yes (history: 0)',
        'echo: Yes (history: 2)',
        'yes to blue',
      ]);
      // A recorded WhatsApp reply button of another bot, and a business's own template quick replies.
      await system.deliver('whatsapp', recorded('whatsapp-sample-messages.md#Interactive button reply'));
      await waitForReplies(1, '15551234567');
      const waUser = '16505550903';
      await ask('whatsapp', WA_PHONE_NUMBER_ID, waUser);
      await system.deliver('whatsapp', whatsAppTemplateButtonTap(waUser, 'STOP_PROMOTIONS', 'No'));
      await waitForReplies(1, waUser);
      await system.deliver('whatsapp', whatsAppTemplateButtonTap(waUser, 'Yes', 'Yes'));
      await waitForReplies(2, waUser);
      expect(firstOf(replies(system.graph, '15551234567')).text).toBe('echo: Approve (history: 0)');
      expect(replies(system.graph, waUser).map((r) => r.text)).toEqual([
        'echo: No (history: 0)',
        'echo: Yes (history: 2)',
      ]);
    });
  });

  it('keeps a command word that takes no words, followed by words, an ordinary message', async () => {
    system = await startSystem();
    await system.deliver('messenger', pageText('page', '3000104', '/reset the counter of cats'));
    await waitForReplies(1, '3000104');
    expect(firstOf(replies(system.graph, '3000104')).text).toMatch(/^echo: \/reset the counter of cats/);
  });
});
