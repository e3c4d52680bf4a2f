import { afterLastReply } from './helpers/say';
import { FakeModel } from './helpers/fake-model';
import { whatsAppText } from './helpers/payloads';
import { replies } from './helpers/replies';
import { startSystem, type TestSystem } from './helpers/system';
import { defined, firstOf } from './helpers/present';

/**
 * A model whose chat template is as strict as Gemma's (the fake answers 400 when a system message
 * is not first or the roles do not alternate user/assistant): memory-on turns, with history and
 * in contemplating's drafts and synthesis, still reach it as one system message and alternating
 * turns, so the person gets answers rather than apologies.
 */
describe('a Gemma-style strict chat template', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());
  const USER = '16505558000';

  async function say(text: string): Promise<string> {
    const before = replies(system.graph, USER).length;
    // Written after the last reply, as a person would: a yes counts only after its question.
    const timestamp = Math.floor(afterLastReply(system.graph, USER) / 1000);
    await system.deliver('whatsapp', whatsAppText(USER, text, { timestamp }));
    await system.graph.waitFor(() => replies(system.graph, USER).length > before);
    return defined(replies(system.graph, USER)[before]).text;
  }

  it('refuses a second system message or two user turns in a row (the simulated rule)', () => {
    const system = { role: 'system', content: 's' };
    const user = { role: 'user', content: 'u' };
    expect(FakeModel.templateRefusal({ messages: [system, system, user] })).toBe('System role not supported');
    expect(FakeModel.templateRefusal({ messages: [system, user, user] })).toMatch(/roles must alternate/);
    expect(FakeModel.templateRefusal({ messages: [system, user, { role: 'assistant', content: 'a' }, user] })).toBe(
      undefined,
    );
  });

  it('answers memory-on turns with history, and contemplating with memory on', async () => {
    const model = new FakeModel(FakeModel.echo, { strictTemplate: true });
    system = await startSystem({ model, env: { LIMIT_BURST: 'off', LLM_MODEL_FAST: 'gemma-3-4b-it' } });
    await say('/memory on');
    expect(await say('yes')).toMatch(/^Memory is on/);
    await say("/remember I'm vegetarian");
    expect(await say('what should I cook tonight?')).toBe('echo: what should I cook tonight? (history: 0)');
    expect(await say('and tomorrow?')).toBe('echo: and tomorrow? (history: 2)');
    const memoryTurn = defined(system.model.chatRequests()[1]?.messages);
    expect(memoryTurn.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(String(firstOf(memoryTurn).content)).toMatch(/- I'm vegetarian \(diet\)/);

    await say('/contemplate');
    expect(await say('plan a week of dinners')).toMatch(/^echo: plan a week of dinners/);
    // three drafts and a synthesis, every one accepted by the strict template
    expect(system.model.requests.slice(-4).map((r) => r.answeredWith)).toEqual([200, 200, 200, 200]);
    expect(system.model.requests.every((r) => r.answeredWith !== 400)).toBe(true);
  });
});
