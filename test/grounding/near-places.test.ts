import { Grounding, type GroundingSources } from '../../src/grounding/grounding';
import { MemoryKnowledge } from '../helpers/memory-knowledge';

/**
 * `search_knowledge` with `near_me`, as the model reads its result: the places the query finds,
 * nearest first with distance_km; the plain results with a note when none is a place or the
 * person shared no location; and distances beside places in a search by relevance.
 */

const STORES = [
  {
    titlePath: ['Stores', 'Barcelona'],
    text: 'Our Barcelona store.',
    url: undefined,
    place: { latitude: 41.3874, longitude: 2.1686 },
  },
  {
    titlePath: ['Stores', 'Madrid'],
    text: 'Our Madrid store.',
    url: undefined,
    place: { latitude: 40.4169, longitude: -3.7035 },
  },
  { titlePath: ['Returns'], text: 'Any store takes returns within 30 days.', url: undefined },
];
const SOL = { latitude: 40.4169, longitude: -3.7035 };

const grounding = (origin?: { latitude: number; longitude: number }) => {
  const sources: GroundingSources = {
    knowledge: new MemoryKnowledge(STORES),
    web: null,
    strict: false,
    businessName: undefined,
  };
  return new Grounding(sources, undefined, origin);
};

interface Result {
  passages: Array<{ ref: string; title: string; distance_km?: number }>;
  note?: string;
}
const run = async (g: Grounding, args: Record<string, unknown>) =>
  JSON.parse(await g.run('search_knowledge', JSON.stringify(args))) as Result;

describe('search_knowledge near the person', () => {
  it('lists the places found nearest first, leaving out what states no place', async () => {
    const result = await run(grounding(SOL), { query: 'store', near_me: true });
    expect(result.passages.map((p) => [p.ref, p.title, p.distance_km])).toEqual([
      ['K1', 'Stores › Madrid', 0],
      ['K2', 'Stores › Barcelona', 505],
    ]);
    expect(result.note).toMatch(/^Nearest first/);
  });

  it('gives the distance beside a place in a search by relevance (near_me null)', async () => {
    const result = await run(grounding(SOL), { query: 'Barcelona store', near_me: null });
    expect(result.passages[0]).toMatchObject({ title: 'Stores › Barcelona', distance_km: 505 });
    expect(result.note).toBeUndefined();
  });

  it('says so when none of the matches is a place, or the person shared no location', async () => {
    const none = await run(grounding(SOL), { query: 'returns', near_me: true });
    expect(none.passages.map((p) => p.title)).toEqual(['Returns']);
    expect(none.note).toMatch(/states coordinates/);
    const blind = await run(grounding(), { query: 'store', near_me: true });
    expect(blind.passages.every((p) => p.distance_km === undefined)).toBe(true);
    expect(blind.note).toMatch(/has not shared a location/);
  });

  it('offers near_me only while the person’s place is known', () => {
    const parameters = (g: Grounding) =>
      g.tools[0]!.function.parameters as { required: string[]; properties: Record<string, unknown> };
    expect(parameters(grounding(SOL)).required).toEqual(['query', 'near_me']);
    expect(parameters(grounding()).required).toEqual(['query']);
    expect(parameters(grounding()).properties).not.toHaveProperty('near_me');
  });
});
