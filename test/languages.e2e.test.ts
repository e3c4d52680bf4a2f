import { afterLastReply } from './helpers/say';
import { pagePostback, pageText, whatsAppButtonTap, whatsAppText } from './helpers/payloads';
import { replies, type SeenReply } from './helpers/replies';
import { startSystem, type TestSystem } from './helpers/system';
import { defined, firstOf } from './helpers/present';

/**
 * What Threadline says by itself, in the person's language, as they see it through the fake Send
 * API: the language read from what they write (or Messenger's locale), kept for the person,
 * chosen with /language, told to the model, and localized command words beside the English ones.
 */
describe('the person’s language', () => {
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
  // Written after the last reply, as a person would: a yes counts only after its question.
  const wa = (user: string, text: string) =>
    send(
      'whatsapp',
      user,
      whatsAppText(user, text, { timestamp: Math.floor(afterLastReply(system.graph, user) / 1000) }),
    );
  const titles = (reply: SeenReply) =>
    (
      (reply.request.body as { interactive?: { action?: { buttons?: Array<{ reply: { title: string } }> } } })
        .interactive?.action?.buttons ?? []
    ).map((button) => button.reply.title);
  const systemPrompt = (request: number) =>
    String(system.model.chatRequests()[request]?.messages?.find((m) => m.role === 'system')?.content);

  it('answers a Spanish first message with the Spanish notice, tells the model, and helps in Spanish', async () => {
    system = await start();
    const user = '16505550700';
    const first = await wa(user, 'Hola, ¿qué tal? Necesito ayuda con mi pedido');
    expect(first.text).toBe(
      '¡Hola! Estás hablando con un asistente de IA de Acme Shoes. Guardo nuestra conversación durante 30 días ' +
        'después de tu último mensaje. Envía /privacy para ver lo que se guarda y /forget all para borrarlo.' +
        '\n\necho: Hola, ¿qué tal? Necesito ayuda con mi pedido (history: 0)',
    );
    expect(systemPrompt(0)).toMatch(/The person's language is Spanish: answer in Spanish/);
    const help = await wa(user, '/help');
    expect(help.text).toMatch(/^Soy Threadline, un asistente de IA\./);
    expect(help.choices).toEqual(['/think', '/memory', '/help all']);
    expect(titles(help)).toEqual(['Pensar', 'Memoria', 'Todos los comandos']);
    // A short reply is no evidence: "ok thanks" leaves the person in Spanish.
    expect((await wa(user, 'ok thanks')).text).toBe('echo: ok thanks (history: 2)');
    expect((await wa(user, '/limits')).text).toMatch(/^Estás en el modo rápido\./);
  });

  it('knows the localized command words from the first message, and the English names always work', async () => {
    system = await start({ AI_DISCLOSURE: 'off' });
    const words: Array<[string, RegExp]> = [
      ['/ayuda', /^Soy Threadline/],
      ['/ajuda', /^Sou o Threadline/],
      ['/aide', /^Je suis Threadline/],
      ['/hilfe', /^Ich bin Threadline/],
      ['/aiuto', /^Sono Threadline/],
      ['/bantuan', /^Saya Threadline/],
    ];
    for (const [index, [word, shape]] of words.entries()) {
      expect((await wa(`1650555071${index}`, word)).text).toMatch(shape);
    }
    // The Spanish speaker's English /help is still help, in the Spanish they were detected in.
    expect((await wa('16505550710', '/help')).text).toMatch(/^Soy Threadline/);
    expect(system.model.chatRequests()).toHaveLength(0);
  });

  it('switches with /language, keeps the choice over what the person writes, and names it to the model', async () => {
    system = await start({ AI_DISCLOSURE: 'off' });
    const user = '16505550720';
    const shown = await wa(user, '/language');
    expect(shown.text).toMatch(
      /^I write to you in English\. Send \/language and a code to change it: English \(en\), Español \(es\),/,
    );
    expect(shown.text).toContain('العربية (ar)');
    expect((await wa(user, '/language fr')).text).toBe('D’accord, désormais je vous écris en français.');
    expect((await wa(user, '/help')).text).toMatch(/^Je suis Threadline/);
    // Chosen beats detected: a clearly English message changes the model's words, not the bot's own.
    await wa(user, 'Can you tell me what the weather is usually like in Lisbon in spring?');
    expect(systemPrompt(0)).toMatch(/The person's language is French/);
    expect((await wa(user, '/limits')).text).toMatch(/^Vous êtes en mode rapide\./);
    expect((await wa(user, '/language xx')).text).toMatch(/^Je n’ai pas de langue appelée xx\./);
    expect((await wa(user, '/idioma en')).text).toBe('OK, from now on I write to you in English.');
  });

  it('writes Arabic right to left, with the commands isolated so they read correctly', async () => {
    system = await start();
    const user = '16505550730';
    const first = await wa(user, 'مرحبا، أريد أن أعرف كيف يعمل هذا المساعد من فضلك');
    expect(first.text).toMatch(/^مرحبًا! أنت تتحدث مع مساعد ذكاء اصطناعي تديره Acme Shoes\./);
    expect(first.text).toContain('\u2066/privacy\u2069');
    expect(first.text).toContain('\u2066/forget all\u2069');
    expect(systemPrompt(0)).toMatch(/The person's language is Arabic/);
    const help = await wa(user, '/help');
    expect(help.text).toMatch(/^أنا Threadline، مساعد ذكاء اصطناعي\./);
    expect(help.text).toContain('\u2066/think\u2069: ');
    expect(titles(help)).toEqual(['فكّر', 'الذاكرة', 'كل الأوامر']);
    // A button tap carries the command itself, whatever its title says.
    expect((await send('whatsapp', user, whatsAppButtonTap(user, '/help all', 'كل الأوامر'))).text).toMatch(
      /^الأوضاع \(أنت الآن في وضع السريع\):/,
    );
  });

  it("starts a Messenger conversation in the person's Facebook locale, asked once", async () => {
    system = await start();
    system.graph.setProfile('3000700', { locale: 'pt_BR' });
    const welcome = await send('messenger', '3000700', pagePostback('page', '3000700', 'GET_STARTED', 'Get Started'));
    expect(welcome.text).toMatch(/^Olá! Você está falando com um assistente de IA de Acme Shoes\./);
    expect((await send('messenger', '3000700', pageText('page', '3000700', 'oi'))).text).toBe('echo: oi (history: 0)');
    expect(systemPrompt(0)).toMatch(/The person's language is Portuguese/);
    // Someone the profile API knows nothing about gets DEFAULT_LANGUAGE, and is not asked again.
    const unknown = await send('messenger', '3000701', pageText('page', '3000701', 'hi'));
    expect(unknown.text).toMatch(/^Hi! You're talking to an AI assistant run by Acme Shoes\./);
    await send('messenger', '3000701', pageText('page', '3000701', 'yo'));
    expect(system.graph.profileLookups().map((r) => r.path.split('/').at(-1))).toEqual(['3000700', '3000701']);
  });

  it('starts in DEFAULT_LANGUAGE when nothing tells the language', async () => {
    system = await start({ DEFAULT_LANGUAGE: 'de' });
    const first = await wa('16505550740', '👍');
    expect(first.text).toMatch(/^Hallo! Du sprichst mit einem KI-Assistenten von Acme Shoes\./);
  });

  it('keeps the language with the person: in /export and /privacy, and gone after /forget all', async () => {
    system = await start({ AI_DISCLOSURE: 'off' });
    const user = '16505550750';
    const key = `${system.config.redis.prefix}:state:language:whatsapp:${user}`;
    await wa(user, 'Bonjour, je voudrais savoir ce que vous gardez sur moi');
    expect(await system.redis.get(key)).toBe('detected:fr');
    expect(await system.redis.ttl(key)).toBeGreaterThan(364 * 86_400);
    expect((await wa(user, '/privacy')).text).toContain('• La langue dans laquelle je vous écris');
    await wa(user, '/export');
    const exported = JSON.parse(firstOf(system.graph.sentFiles()).bytes.toString()) as Record<string, unknown>;
    expect(exported.language).toEqual({ code: 'fr', learnt_from: 'detected' });
    expect(exported.about).toMatch(/^Tout ce que cet assistant garde sur vous/);
    expect((await wa(user, '/forget all')).text).toMatch(/votre langue/);
    expect((await wa(user, 'oui')).text).toMatch(/^C’est fait : j’ai effacé tout/);
    expect(await system.redis.exists(key)).toBe(0);
  });
});
