import { join } from 'node:path';
import { FakeModel, type ChatBody } from './helpers/fake-model';
import { replies } from './helpers/replies';
import { say } from './helpers/say';
import { startSystem, type TestSystem } from './helpers/system';

/**
 * Shopping personalised with consent, end to end: with memory on, the person's remembered size and
 * budget reach the shopping model and the answer says which facts it used; with memory off, the
 * same question gets no personalisation and the model hears nothing remembered.
 */
const FEED = join(__dirname, '..', 'sandbox', 'catalog', 'demo-feed.csv');
const SIZE = 'my shoe size is 43';
const BUDGET = 'my budget is under 100 euros';

const everything = (body: ChatBody | undefined) =>
  (body?.messages ?? []).map((m) => FakeModel.describe(m.content)).join('\n');

describe('shopping with remembered facts', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  const start = async () => {
    const search = () => ({ query: 'sneakers', in_stock: true, limit: 5 });
    const model = new FakeModel(FakeModel.echo, { tools: FakeModel.shopper(search, 2) });
    system = await startSystem({ env: { CATALOG_FEED: FEED }, model });
  };

  it('uses the size and budget the person asked to be remembered, and says so', async () => {
    await start();
    const user = '4915100000101';
    await say(system, 'whatsapp', user, '/memory on');
    await say(system, 'whatsapp', user, 'yes');
    expect(await say(system, 'whatsapp', user, `/remember ${SIZE}`)).toContain("I'll remember");
    expect(await say(system, 'whatsapp', user, `/remember ${BUDGET}`)).toContain("I'll remember");
    await say(system, 'whatsapp', user, '/shop');
    const answer = await say(system, 'whatsapp', user, 'some sneakers please');
    expect(answer).toMatch(/^You could like /);
    expect(answer).toContain(`(${SIZE}, ${BUDGET}: as you asked me to remember.)`);
    const heard = everything(system.model.chatRequests().at(-1));
    expect(heard).toContain(SIZE);
    expect(heard).toContain(BUDGET);
  });

  it('does not personalise while memory is off', async () => {
    await start();
    const user = '4915100000102';
    await say(system, 'whatsapp', user, '/shop');
    const answer = await say(system, 'whatsapp', user, 'some sneakers please');
    expect(answer).toMatch(/^You could like /);
    expect(answer).not.toContain('as you asked me to remember');
    expect(everything(system.model.chatRequests().at(-1))).not.toMatch(/asked you to remember/i);
    expect(replies(system.graph, user)).toHaveLength(2);
  });
});
