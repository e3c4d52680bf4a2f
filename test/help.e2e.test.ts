import { afterLastReply } from './helpers/say';
import { COMMAND_WORDS } from '../src/commands/commands';
import { whatsAppText } from './helpers/payloads';
import { replies, type SeenReply } from './helpers/replies';
import { startSystem, type TestSystem } from './helpers/system';
import { defined } from './helpers/present';

/**
 * Help as a new person meets it: a few lines on what most people want, with buttons for it, and
 * everything else one tap away; the memory list never names a fact number that does not exist.
 */
describe('help', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  async function wa(user: string, text: string): Promise<SeenReply> {
    const before = replies(system.graph, user).length;
    // Written after the last reply, as a person would: a yes counts only after its question.
    const timestamp = Math.floor(afterLastReply(system.graph, user) / 1000);
    await system.deliver('whatsapp', whatsAppText(user, text, { timestamp }));
    await system.graph.waitFor(() => replies(system.graph, user).length > before);
    return defined(replies(system.graph, user)[before]);
  }

  it('is short, with three buttons, and /help all lists every command once, without doubled words', async () => {
    system = await startSystem({ env: { LIMIT_CONTEMPLATING: '5/1d' } });
    const user = '16505550800';
    const help = await wa(user, '/help');
    expect(help.text.length).toBeLessThan(350);
    expect(help.text.split('\n').filter((line) => line.startsWith('• '))).toHaveLength(3);
    expect(help.choices).toEqual(['/think', '/memory', '/help all']);
    const all = await wa(user, '/help all');
    // Every command but /shop, which needs a catalog this deployment does not have.
    for (const word of COMMAND_WORDS.filter((w) => w !== '/shop')) expect(all.text).toContain(word);
    expect(all.text).not.toMatch(/\/fast fast:|\/think thinking:|\) \(|slowest/);
    expect(all.text).toContain(
      '/contemplate: I draft several answers from different angles and merge the best of them (5 per day)',
    );
  });

  it('lists one remembered fact with "/forget 1", never a number that is not there', async () => {
    system = await startSystem();
    const user = '16505550801';
    await wa(user, '/memory on');
    await wa(user, 'yes');
    await wa(user, '/remember I wear size 42 shoes');
    const one = await wa(user, '/memory');
    expect(one.text).toMatch(
      /\n1\. I wear size 42 shoes \(sizes; WhatsApp, \d{4}-\d{2}-\d{2}\)\n\/forget 1 deletes it\.$/,
    );
    expect(one.text).not.toMatch(/\/forget [2-9]/);
    await wa(user, '/remember my budget is under 80 euros');
    expect((await wa(user, '/memory')).text).toMatch(/\n\/forget 2 deletes number 2\.$/);
    expect((await wa(user, '/memory on')).text).not.toMatch(/\/forget 3/);
  });
});
