import { freePort } from '../sandbox/redis';
import type { PersonExport } from '../src/privacy/person-export';
import { FakeGraph } from './helpers/fake-graph';
import type { RecordedRequest } from './helpers/http-fake';
import { parsePrometheusText, sampleValue } from './helpers/prometheus-text';
import { replies, sentIdOf, sleep, type SeenReply } from './helpers/replies';
import { say } from './helpers/say';
import { pageText } from './helpers/payloads';
import { pageReaction, whatsAppOf } from './helpers/sent-payloads';
import { startSystem, type TestSystem } from './helpers/system';

/**
 * A reaction is kept with the exact answer it names, by the id Graph gave that answer's message
 * when it accepted it (the fake Graph's `messages[0].id` / `message_id`): whether the turn sent
 * the answer itself or the send queue did. A reaction to anything else (a command's reply, an id
 * never sent) is credited to no answer, counted under mode `none`, and nothing is sent back.
 */
describe('reactions find the answer they are about', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  const exported = async (app: 'whatsapp' | 'messenger', user: string) => {
    const files = system.graph.sentFiles().filter((file) => file.to === user);
    await say(system, app, user, '/export');
    await system.graph.waitFor(() => system.graph.sentFiles().filter((file) => file.to === user).length > files.length);
    const file = system.graph
      .sentFiles()
      .filter((f) => f.to === user)
      .at(-1)!;
    const body = JSON.parse(file.bytes.toString('utf8')) as PersonExport;
    return body.conversations[0]!.messages as Array<{ from: string; text: string; your_reaction?: string }>;
  };
  const answerTo = (messages: Array<{ text: string; your_reaction?: string }>, question: string) =>
    messages.find((m) => m.text.startsWith(`echo: ${question}`))!;
  const metrics = async () => {
    const url = `http://127.0.0.1:${system.workers!.metricsPort}/metrics`;
    return parsePrometheusText(await (await fetch(url)).text());
  };
  const requestsTo = (user: string) =>
    system.graph.requests.filter((r) => JSON.stringify(r.body ?? {}).includes(user)).length;

  it('on WhatsApp: a reaction to the first of two answers lands on the first; a command reply or an unknown id gets none', async () => {
    system = await startSystem({ env: { METRICS_PORT: String(await freePort()) } });
    const user = '16505550701';
    await say(system, 'whatsapp', user, 'first question');
    const first = replies(system.graph, user).at(-1)!;
    await say(system, 'whatsapp', user, 'second question');
    expect(sentIdOf(first)).toMatch(/^wamid\./);

    const before = requestsTo(user);
    await system.deliver('whatsapp', whatsAppOf(user, 'reaction', { message_id: sentIdOf(first), emoji: '👍' }));
    await system.deliver('whatsapp', whatsAppOf(user, 'reaction', { message_id: 'wamid.NEVER_SENT', emoji: '👎' }));
    await sleep(1500);
    // Nothing at all goes to the person: no reply, no read receipt, no typing.
    expect(requestsTo(user)).toBe(before);

    // /why speaks of the newest answer, which nobody reacted to.
    const why = replies(system.graph, user).length;
    expect(await say(system, 'whatsapp', user, '/why')).not.toContain('You reacted');
    // A reaction to the /why reply (a command's, not an answer) is credited to no answer.
    const whyReply = replies(system.graph, user)[why]!;
    await system.deliver('whatsapp', whatsAppOf(user, 'reaction', { message_id: sentIdOf(whyReply), emoji: '❤️' }));
    await sleep(1000);

    const messages = await exported('whatsapp', user);
    expect(answerTo(messages, 'first question').your_reaction).toBe('👍');
    expect(answerTo(messages, 'second question').your_reaction).toBeUndefined();
    expect(messages.filter((m) => m.your_reaction !== undefined)).toHaveLength(1);

    const counted = await metrics();
    const reactions = (labels: Record<string, string>) =>
      sampleValue(counted, 'threadline_answer_reactions_total', { platform: 'whatsapp', ...labels });
    expect(reactions({ mode: 'fast', reaction: 'positive' })).toBe(1);
    expect(reactions({ mode: 'none', model: 'none', reaction: 'negative' })).toBe(1);
    expect(reactions({ mode: 'none', model: 'none', reaction: 'positive' })).toBe(1);
    expect(reactions({})).toBe(3);
  });

  it('on Messenger: an answer the send queue delivered after a retry keeps its id; a reaction to it lands there, not on the newer answer', async () => {
    system = await startSystem();
    const psid = '2000701';
    const textTo = (r: RecordedRequest) => {
      const body = r.body as { recipient?: { id?: string }; message?: { text?: string } } | undefined;
      return body?.recipient?.id === psid && typeof body.message?.text === 'string';
    };
    // The turn's own send fails for a reason worth retrying: the send queue delivers the answer.
    system.graph.script(FakeGraph.graphError(2, 503), 1, textTo);
    await system.deliver('messenger', pageText('page', psid, 'first question'));
    const accepted = (): SeenReply[] =>
      replies(system.graph, psid).filter((reply) => reply.request.answeredWith === 200);
    await system.graph.waitFor(() => accepted().length === 1, 20_000);
    const first = accepted()[0]!;
    expect(replies(system.graph, psid)[0]!.request.answeredWith).toBe(503);
    await say(system, 'messenger', psid, 'second question');
    const second = accepted().at(-1)!;
    expect(sentIdOf(first)).not.toBe(sentIdOf(second));

    const before = requestsTo(psid);
    await system.deliver('messenger', pageReaction('page', psid, sentIdOf(first), '😍'));
    await system.deliver('messenger', pageReaction('page', psid, 'm_never_sent', '👎'));
    await sleep(1500);
    expect(requestsTo(psid)).toBe(before);
    expect(await say(system, 'messenger', psid, '/why')).not.toContain('You reacted');

    const messages = await exported('messenger', psid);
    expect(answerTo(messages, 'first question').your_reaction).toBe('😍');
    expect(answerTo(messages, 'second question').your_reaction).toBeUndefined();
    expect(messages.filter((m) => m.your_reaction !== undefined)).toHaveLength(1);

    // Taken back: the first answer is unreacted again.
    await system.deliver('messenger', pageReaction('page', psid, sentIdOf(first), '', 'unreact'));
    await sleep(1000);
    const after = await exported('messenger', psid);
    expect(after.filter((m) => m.your_reaction !== undefined)).toHaveLength(0);
  });
});
