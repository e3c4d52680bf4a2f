import { extractHtml } from '../../src/knowledge/extract-html';
import { extractMarkdown } from '../../src/knowledge/extract-markdown';
import { coordinatesIn, distanceKm, onePlaceIn, roundedKm } from '../../src/knowledge/geo';
import { cutPassages } from '../../src/knowledge/passages';
import { placeIn, placeLine } from '../../src/media/place';
import { sharedPlace, SHARED_PLACE_MINUTES } from '../../src/turn/shared-place';

/**
 * Places in the knowledge base: the coordinate forms a document may state them in, which section
 * takes them (and which does not), the haversine distance, and where the person is as the turn
 * finds it (this turn's place, or one shared earlier and read back from the history).
 */

const MADRID = { latitude: 40.4169, longitude: -3.7035 };
const BARCELONA = { latitude: 41.3874, longitude: 2.1686 };

describe('coordinates a document states', () => {
  it.each([
    ['Coordinates: 40.4169, -3.7035', MADRID],
    ['coordinates 40.4169,-3.7035', MADRID],
    ['GPS: 40.4169 -3.7035', MADRID],
    ['Lat/Lng: (40.4169, -3.7035)', MADRID],
    ['lat/long 40.4169; -3.7035', MADRID],
    ['Latitude/Longitude: 40.4169, -3.7035', MADRID],
    ['Coordinates: 40.4169° N, 3.7035° W', MADRID],
    ['Coordinates: 33.8688° S, 151.2093° E', { latitude: -33.8688, longitude: 151.2093 }],
    ['Latitude: 40.4169, Longitude: -3.7035', MADRID],
    ['lat 40.4169 lng -3.7035', MADRID],
    ['Open it in maps: geo:40.4169,-3.7035;u=35', MADRID],
    ['geo:40.4169,-3.7035,650', MADRID],
  ])('reads %s', (text, expected) => {
    expect(coordinatesIn(`Calle del Arenal 1. ${text}. Open every day.`)).toEqual([expected]);
  });

  it.each([
    'Call 40 4169 3703 for the store',
    'Open 10.30, closed 21.00',
    'Coordinates: 95.1, 10.2',
    'Coordinates: 40.1, 190.2',
    'Latitude: 40.4169',
    'geo:north',
  ])('reads nothing from %s', (text) => {
    expect(coordinatesIn(text)).toEqual([]);
  });

  it('gives one place only when every pair a text states is the same one', () => {
    expect(onePlaceIn(['Coordinates: 40.4169, -3.7035', 'geo:40.4169,-3.7035'])).toEqual(MADRID);
    expect(onePlaceIn(['Coordinates: 40.4169, -3.7035', 'Coordinates: 41.3874, 2.1686'])).toBeUndefined();
    expect(onePlaceIn(['No place here'])).toBeUndefined();
  });
});

describe('the great-circle distance', () => {
  it('measures known distances by the haversine formula', () => {
    expect(distanceKm(MADRID, MADRID)).toBe(0);
    expect(distanceKm(MADRID, BARCELONA)).toBeCloseTo(505, -1);
    expect(distanceKm(BARCELONA, MADRID)).toBeCloseTo(distanceKm(MADRID, BARCELONA), 9);
    // London to Paris, and half the world round: antipodes are about 20,015 km apart
    const london = { latitude: 51.5074, longitude: -0.1278 };
    expect(distanceKm(london, { latitude: 48.8566, longitude: 2.3522 })).toBeCloseTo(343.5, 0);
    expect(distanceKm({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 180 })).toBeCloseTo(20015.1, 0);
  });

  it('rounds to a tenth under 10 km and to whole km beyond', () => {
    expect(roundedKm(0.4449)).toBe(0.4);
    expect(roundedKm(9.96)).toBe(10);
    expect(roundedKm(504.6)).toBe(505);
  });
});

describe('which passages take a place', () => {
  const stores = [
    '# Our stores',
    'Three stores in Spain.',
    '## Madrid',
    'Calle del Arenal 1, Madrid.',
    '',
    'Coordinates: 40.4169, -3.7035',
    '## Barcelona',
    '[Open in maps](geo:41.3874,2.1686) for Passeig de Gràcia 15.',
    '## All stores',
    '| store | coordinates |',
    '| --- | --- |',
    '| Madrid | Coordinates: 40.4169, -3.7035 |',
    '| Barcelona | Coordinates: 41.3874, 2.1686 |',
  ].join('\n');

  it('gives each section the one place it states (a Markdown map link too), none to a section of several', () => {
    const passages = cutPassages(extractMarkdown(stores, 'stores.md', undefined));
    const places = passages.map((p) => [p.titlePath.at(-1), p.place]);
    expect(places).toEqual([
      ['Our stores', undefined],
      ['Madrid', MADRID],
      ['Barcelona', BARCELONA],
      ['All stores', undefined],
    ]);
    expect(passages[2]!.text).toContain('Open in maps (geo:41.3874,2.1686)');
  });

  it('gives every passage of a long section its place, wherever in the section it is stated', () => {
    const long = Array.from({ length: 120 }, (_, i) => `Sentence ${i} about the store and its parking.`).join(' ');
    const markdown = `# Stores\n## Madrid\n${long}\n\n${long}\n\nLatitude: 40.4169, Longitude: -3.7035`;
    const passages = cutPassages(extractMarkdown(markdown, 'stores.md', undefined));
    expect(passages.length).toBeGreaterThan(1);
    expect(passages.every((p) => p.place?.latitude === MADRID.latitude)).toBe(true);
  });

  it('reads a geo: link in an HTML page', () => {
    const html =
      '<main><h1>Stores</h1><h2 id="bcn">Barcelona</h2><p>Passeig de Gràcia 15. <a href="geo:41.3874,2.1686">Map</a></p></main>';
    const [passage] = cutPassages(extractHtml(html, 'stores.html', 'https://shop.example/stores'));
    expect(passage).toMatchObject({ url: 'https://shop.example/stores#bcn', place: BARCELONA });
    expect(passage!.text).toBe('Passeig de Gràcia 15. Map (geo:41.3874,2.1686)');
  });
});

describe('where the person is', () => {
  const now = Date.UTC(2025, 4, 1, 12);
  const line = placeLine({ ...MADRID, name: 'coordinates 1.0, 2.0; "Sol"', address: 'Puerta del Sol' });
  const asked = { role: 'user' as const, content: 'which store is nearest?', at: now - 60_000 };

  it('reads a place back from the line the history keeps, not from a name that looks like one', () => {
    expect(placeIn(`${line}\nany store near here?`)).toEqual(MADRID);
    expect(placeIn(`[location shared: coordinates 91.000000, 2.000000]`)).toBeUndefined();
    expect(placeIn('coordinates 40.4, -3.7')).toBeUndefined();
  });

  it('takes this turn’s place first, else the last one shared within the window, else none', () => {
    const here = { gathered: { location: BARCELONA } } as unknown as Parameters<typeof sharedPlace>[0];
    const none = { gathered: {} } as unknown as Parameters<typeof sharedPlace>[0];
    const shared = { role: 'user' as const, content: line, at: now - 30 * 60_000 };
    const reply = { role: 'assistant' as const, content: placeLine(BARCELONA), at: now - 29 * 60_000 };
    expect(sharedPlace(here, [shared], now)).toEqual(BARCELONA);
    expect(sharedPlace(none, [shared, reply, asked], now)).toEqual(MADRID);
    const old = { ...shared, at: now - (SHARED_PLACE_MINUTES + 1) * 60_000 };
    expect(sharedPlace(none, [old, asked], now)).toBeUndefined();
    expect(sharedPlace(none, [], now)).toBeUndefined();
  });
});
