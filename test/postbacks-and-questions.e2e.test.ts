import { PendingQuestions } from '../src/conversation/pending-question';
import { conversationKey } from '../src/core/inbound';
import { stateKeys } from '../src/redis/keys';
import { notice } from '../src/turn/context';
import { PENDING_ANSWER_HANDLERS } from '../src/turn/answer-pending';
import {
  pagePostback,
  pageQuickReplyTap,
  pageText,
  PAGE_ID,
  whatsAppButtonTap,
  whatsAppText,
  WA_PHONE_NUMBER_ID,
} from './helpers/payloads';
import { replies, sleep } from './helpers/replies';
import { startSystem, type TestSystem } from './helpers/system';

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
    expect(replies(system.graph, '3000101')[0]!.text).toMatch(/AI assistant/);
  });

  describe('with a question waiting', () => {
    const KIND = 'test:colour';
    beforeAll(() => {
      PENDING_ANSWER_HANDLERS[KIND] = (question, answer) =>
        Promise.resolve({ outcome: notice(`${answer} to ${question.data?.colour}`, 'test'), mode: 'fast' });
    });
    afterAll(() => delete PENDING_ANSWER_HANDLERS[KIND]);

    const ask = async (platform: 'whatsapp' | 'messenger', channelId: string, userId: string) => {
      const questions = new PendingQuestions(system.redis, stateKeys(system.config.redis.prefix).pendingQuestion);
      await questions.ask(conversationKey({ platform, channelId, userId }), { kind: KIND, data: { colour: 'blue' } });
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
      await ask('messenger', PAGE_ID, '3000103');
      await system.deliver('messenger', pageQuickReplyTap('page', '3000103', '/no', 'No'));
      await waitForReplies(1, '3000103');
      await system.deliver('messenger', pageQuickReplyTap('page', '3000103', '/yes', 'Yes'));
      await waitForReplies(2, '3000103');
      const texts = replies(system.graph, '3000103').map((r) => r.text);
      expect(texts[0]).toBe('no to blue');
      expect(texts[1]).toMatch(/expired/);
      expect(system.model.chatRequests()).toHaveLength(0);
    });

    it('drops the question when the person writes something else first', async () => {
      system = await startSystem();
      await ask('whatsapp', WA_PHONE_NUMBER_ID, '16505550901');
      await system.deliver('whatsapp', whatsAppText('16505550901', 'what is the weather like?'));
      await waitForReplies(1);
      await system.deliver('whatsapp', whatsAppButtonTap('16505550901', '/yes', 'Yes'));
      await waitForReplies(2);
      const texts = replies(system.graph).map((r) => r.text);
      expect(texts[0]).toMatch(/^echo: what is the weather/);
      expect(texts[1]).toMatch(/expired/);
    });
  });

  it('keeps a command word followed by words an ordinary message', async () => {
    system = await startSystem();
    await system.deliver('messenger', pageText('page', '3000104', '/think about cats'));
    await waitForReplies(1, '3000104');
    expect(replies(system.graph, '3000104')[0]!.text).toMatch(/^echo: \/think about cats/);
  });
});
