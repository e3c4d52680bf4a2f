import { pagePostback, pageText, whatsAppText, WA_PHONE_NUMBER_ID } from './helpers/payloads';
import { replies, yesNoIds, type SeenReply } from './helpers/replies';
import { afterLastReply } from './helpers/say';
import { startSystem, type TestSystem } from './helpers/system';
import { defined } from './helpers/present';

/**
 * The first-contact notice as people see it: the first reply on each platform says they are
 * talking to an AI assistant run by the business, how long the conversation is kept and how to
 * see and erase it; later replies do not repeat it, and the model never sees it.
 */
const NOTICE =
  "Hi! You're talking to an AI assistant run by Acme Shoes. I keep our conversation for 30 days after your last message. " +
  'Send /privacy to see what is kept, /forget all to erase it.';

describe('first-contact notice', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  const start = (env: Record<string, string> = {}) =>
    startSystem({ env: { AI_DISCLOSURE: 'on', BUSINESS_NAME: 'Acme Shoes', HISTORY_TTL_DAYS: '30', ...env } });

  async function send(platform: string, user: string, payload: unknown): Promise<SeenReply> {
    const before = replies(system.graph, user).length;
    await system.deliver(platform, payload);
    await system.graph.waitFor(() => replies(system.graph, user).length > before);
    return defined(replies(system.graph, user)[before]);
  }

  it('comes once per conversation with the first answer, and stays out of what the model reads', async () => {
    system = await start();
    const id = '16505550400';
    expect((await send('whatsapp', id, whatsAppText(id, 'hello'))).text).toBe(`${NOTICE}\n\necho: hello (history: 0)`);
    expect((await send('whatsapp', id, whatsAppText(id, 'and again'))).text).toBe('echo: and again (history: 2)');
    const history = defined(system.model.chatRequests()[1]?.messages).filter((m) => m.role === 'assistant');
    expect(history.map((m) => m.content)).toEqual(['echo: hello (history: 0)']);
    // The same id on another app is told there too.
    expect((await send('messenger', id, pageText('page', id, 'hi'))).text).toMatch(
      /^Hi! You're talking to an AI assistant/,
    );
    const told = `${system.config.redis.prefix}:state:told-ai:{whatsapp:${WA_PHONE_NUMBER_ID}:${id}}`;
    expect(await system.redis.ttl(told)).toBeGreaterThan(29 * 86_400);
  });

  it('keeps the mark as long as the history while the person writes, told only once', async () => {
    system = await start();
    const id = '16505550401';
    await send('whatsapp', id, whatsAppText(id, 'hello'));
    const told = `${system.config.redis.prefix}:state:told-ai:{whatsapp:${WA_PHONE_NUMBER_ID}:${id}}`;
    // The mark fell more than a day short of the history's 30 days: the next reply renews it.
    await system.redis.expire(told, 27 * 86_400);
    expect((await send('whatsapp', id, whatsAppText(id, 'still here'))).text).toBe('echo: still here (history: 2)');
    expect(await system.redis.ttl(told)).toBeGreaterThan(29 * 86_400);
    // Within a day of it, replies leave it be (and still carry no notice).
    await system.redis.expire(told, 29 * 86_400 + 3600);
    expect((await send('whatsapp', id, whatsAppText(id, 'and more'))).text).toBe('echo: and more (history: 4)');
    expect(await system.redis.ttl(told)).toBeLessThanOrEqual(29 * 86_400 + 3600);
  });

  it('leaves a question asked with the notice open for the answer that follows', async () => {
    system = await start();
    const id = '16505550402';
    const asked = await send('whatsapp', id, whatsAppText(id, '/memory on'));
    expect(asked.text).toMatch(/^Hi! You're talking to an AI assistant/);
    expect(asked.choices).toEqual(yesNoIds());
    const answer = whatsAppText(id, 'yes', { timestamp: Math.floor(afterLastReply(system.graph, id) / 1000) });
    expect((await send('whatsapp', id, answer)).text).toMatch(/memory is on/i);
  });

  it("comes with Messenger's Get Started, an unknown postback's welcome and a first command on Instagram", async () => {
    system = await start();
    const started = await send('messenger', '3000400', pagePostback('page', '3000400', '/start', 'Get Started'));
    expect(started.text.startsWith(`${NOTICE}\n\nI'm Threadline`)).toBe(true);
    const welcome = await send('messenger', '3000401', pagePostback('page', '3000401', 'MENU_ITEM', 'Menu'));
    expect(welcome.text).toBe(
      `${NOTICE}\n\nAsk me anything by text, voice note or photo, or send /help to see what I can do.`,
    );
    expect(welcome.choices).toEqual(['/fast', '/think', '/contemplate']);
    expect((await send('messenger', '3000401', pageText('page', '3000401', 'hi'))).text).toBe('echo: hi (history: 0)');
    const command = await send('instagram', '3000402', pageText('instagram', '3000402', '/limits'));
    expect(command.text).toMatch(
      /^Hi! You're talking to an AI assistant run by Acme Shoes\.[^\n]*\n\nYou are in fast mode/,
    );
  });

  it('names no business when none is configured, and is absent with AI_DISCLOSURE=off', async () => {
    system = await start({ BUSINESS_NAME: '' });
    const first = await send('whatsapp', '16505550401', whatsAppText('16505550401', 'hello'));
    expect(first.text).toMatch(/^Hi! You're talking to an AI assistant, not a person\./);
    await system.stop();
    system = await start({ AI_DISCLOSURE: 'off' });
    const plain = await send('whatsapp', '16505550402', whatsAppText('16505550402', 'hello'));
    expect(plain.text).toBe('echo: hello (history: 0)');
  });
});
