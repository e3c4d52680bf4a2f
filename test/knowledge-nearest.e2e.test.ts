import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeModel, type ChatBody, type ToolMove } from './helpers/fake-model';
import { defined, firstOf } from './helpers/present';
import { replies } from './helpers/replies';
import { pageMessage, whatsAppOf } from './helpers/sent-payloads';
import { startSystem, type TestSystem } from './helpers/system';

/**
 * "Which store is nearest?" end to end: the knowledge base reads a store list whose sections
 * state coordinates (three forms), the person shares where they are in Madrid (on WhatsApp a
 * location, then the question; on Messenger both in one message), the model is offered
 * `search_knowledge` with `near_me` and calls it, and the tool result it reads lists the Madrid
 * store first with its distance in km. The person receives the model's answer. A person who
 * shared nothing is offered no `near_me`.
 */

const STORES = [
  '# Our stores',
  '',
  '## Barcelona, Passeig de Gràcia',
  'Passeig de Gràcia 15, 08007 Barcelona. Open Monday to Saturday, 10:00 to 21:00.',
  '',
  '[Open in maps](geo:41.3874,2.1686)',
  '',
  '## Madrid, Puerta del Sol',
  'Calle del Arenal 1, 28013 Madrid. Open Monday to Saturday, 10:00 to 21:00.',
  '',
  'Coordinates: 40.4169, -3.7035',
  '',
  '## Valencia, Colón',
  'Carrer de Colón 10, 46004 Valencia. Open Monday to Saturday, 10:00 to 20:30.',
  '',
  'Latitude: 39.4699, Longitude: -0.3763',
  '',
  '# Returns',
  'Any store takes returns within 30 days.',
].join('\n');

/** A spot on Gran Vía, a few hundred metres from the Madrid store. */
const GRAN_VIA = { latitude: 40.42, longitude: -3.7, name: 'Gran Vía', address: 'Gran Vía 1, Madrid' };
const ANSWER = 'Your nearest store is Madrid, Puerta del Sol, about 0.5 km away [K1].';

interface SearchTool {
  function: { name: string; parameters: { required: string[]; properties: Record<string, { type: unknown }> } };
}
interface ToolResult {
  passages: Array<{ ref: string; title: string; text: string; distance_km?: number }>;
  note?: string;
}

const toolResults = (body: ChatBody) => (body.messages ?? []).filter((m) => m.role === 'tool');
const lastUser = (body: ChatBody) =>
  FakeModel.describe([...(body.messages ?? [])].reverse().find((m) => m.role === 'user')?.content);
const searchTool = (body: ChatBody) =>
  (body.tools ?? []).find((tool) => tool.function?.name === 'search_knowledge') as SearchTool | undefined;

/** Asked for the nearest store: searches for stores near the person, then answers; otherwise a short reply. */
function nearestStoreModel(body: ChatBody): ToolMove {
  if (!/nearest/i.test(lastUser(body))) return { text: 'Thanks, I have your location.' };
  if (toolResults(body).length > 0) return { text: ANSWER };
  const nearMe = searchTool(body)?.function.parameters.properties.near_me ? { near_me: true } : {};
  return { toolCalls: [{ name: 'search_knowledge', arguments: { query: 'stores', ...nearMe } }] };
}

describe('the nearest store from the knowledge base', () => {
  let system: TestSystem;
  let folder: string;
  beforeAll(() => {
    folder = mkdtempSync(join(tmpdir(), 'threadline-stores-'));
    writeFileSync(join(folder, 'stores.md'), STORES);
  });
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  afterEach(async () => system?.stop());

  const start = async () => {
    const model = new FakeModel(FakeModel.echo, { tools: nearestStoreModel });
    system = await startSystem({ model, env: { KNOWLEDGE_SOURCES: join(folder, 'stores.md') } });
    return model;
  };

  /** The tool result of the search the answer to `question` ran, as the model read it. */
  const searchResult = (model: FakeModel, question: RegExp): ToolResult => {
    const answered = model.chatRequests().filter((body) => question.test(lastUser(body)) && toolResults(body).length);
    return JSON.parse(String(firstOf(toolResults(defined(answered.at(-1)))).content)) as ToolResult;
  };

  it('on WhatsApp: a location, then "which store is nearest?", lists Madrid first with its distance', async () => {
    const model = await start();
    const user = '34600000101';
    await system.deliver('whatsapp', whatsAppOf(user, 'location', GRAN_VIA));
    await system.graph.waitFor(() => replies(system.graph, user).length === 1);
    await system.deliver('whatsapp', whatsAppOf(user, 'text', { body: 'Which store is nearest?' }));
    await system.graph.waitFor(() => replies(system.graph, user).length >= 2);

    const asked = defined(model.chatRequests().find((body) => /nearest/.test(lastUser(body))));
    const offered = defined(searchTool(asked)).function.parameters;
    // near_me is optional to this (non-strict) backend; strict ones get it required and nullable.
    expect(offered.required).toEqual(['query']);
    expect(offered.properties.near_me!.type).toEqual(['boolean', 'null']);

    const result = searchResult(model, /nearest/);
    expect(result.passages.map((p) => [p.title, p.distance_km])).toEqual([
      ['Our stores › Madrid, Puerta del Sol', 0.5],
      ['Our stores › Valencia, Colón', 302],
      ['Our stores › Barcelona, Passeig de Gràcia', 505],
    ]);
    expect(result.passages[0]!.text).toContain('Calle del Arenal 1, 28013 Madrid');
    expect(result.note).toMatch(/^Nearest first/);
    expect(replies(system.graph, user)[1]!.text).toMatch(
      /^Your nearest store is Madrid, Puerta del Sol, about 0\.5 km away\./,
    );
  });

  it('on Messenger: the place and the question in one message; without a place no near_me is offered', async () => {
    const model = await start();
    const attachment = {
      type: 'location',
      title: 'Gran Vía',
      payload: { coordinates: { lat: GRAN_VIA.latitude, long: GRAN_VIA.longitude } },
    };
    await system.deliver('messenger', pageMessage('page', '2000301', [attachment], { text: 'Nearest store?' }));
    await system.graph.waitFor(() => replies(system.graph, '2000301').length >= 1);
    expect(searchResult(model, /Nearest store/).passages[0]).toMatchObject({
      title: 'Our stores › Madrid, Puerta del Sol',
      distance_km: 0.5,
    });
    expect(replies(system.graph, '2000301')[0]!.text).toMatch(/^Your nearest store is Madrid/);

    await system.deliver('whatsapp', whatsAppOf('34600000102', 'text', { body: 'Which store is nearest to me?' }));
    await system.graph.waitFor(() => replies(system.graph, '34600000102').length >= 1);
    const blind = defined(model.chatRequests().find((body) => /nearest to me/.test(lastUser(body))));
    expect(defined(searchTool(blind)).function.parameters.required).toEqual(['query']);
    const result = searchResult(model, /nearest to me/);
    expect(result.passages.every((p) => p.distance_km === undefined)).toBe(true);
  });
});
