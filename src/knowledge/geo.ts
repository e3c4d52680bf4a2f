/**
 * Places in the business's documents: the coordinates a section states, read from its text in a
 * few written forms, and the great-circle distance to the place a person shared. Decimal degrees
 * only (what maps apps copy and store locators print); degrees-minutes-seconds are not read, so a
 * page must say "40.4168, -3.7038" rather than 40°25'N.
 *
 * The forms read (labels in any case, the colon optional):
 *
 * - `Coordinates: 40.4168, -3.7038` (also `GPS`, `lat/lng`, `lat/long`, `latlng`,
 *   `latitude/longitude`), with an
 *   optional `°` and N/S, E/W after each number (`40.4168° N, 3.7038° W`);
 * - `Latitude: 40.4168, Longitude: -3.7038` (also `lat` with `lng`, `lon` or `long`);
 * - a `geo:` URI (RFC 5870), `geo:40.4168,-3.7038`, in the text or as a link's target.
 */

export interface Coordinates {
  readonly latitude: number;
  readonly longitude: number;
}

const NUMBER = String.raw`([-+−]?\d{1,3}(?:\.\d+)?)`;
const PAIR_LABEL = String.raw`(?:coordinates|co-ordinates|gps|latitude\s*/\s*longitude|lat\s*/\s*lng|lat\s*/\s*long?|lat,\s*lng|latlng)`;
const DEGREE = String.raw`\s*°?\s*`;
/** `Coordinates: 40.4168° N, 3.7038° W` */
const LABELLED_PAIR = new RegExp(
  String.raw`\b${PAIR_LABEL}\s*[:=]?\s*\(?${NUMBER}${DEGREE}([NS])?\b\s*[,;/\s]\s*${NUMBER}${DEGREE}([EW])?\b`,
  'giu',
);
/** `Latitude: 40.4168, Longitude: -3.7038` */
const LAT_THEN_LNG = new RegExp(
  String.raw`\b(?:latitude|lat)\s*[:=]?\s*${NUMBER}°?\s*[,;]?\s*(?:longitude|lng|lon|long)\s*[:=]?\s*${NUMBER}`,
  'giu',
);
/** `geo:40.4168,-3.7038` (an altitude and `;u=` parameters after them are ignored) */
const GEO_URI = new RegExp(String.raw`\bgeo:${NUMBER},${NUMBER}`, 'giu');

const parse = (raw: string) => Number(raw.replace('−', '-'));

function valid(latitude: number, longitude: number): Coordinates | undefined {
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return undefined;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return undefined;
  return { latitude, longitude };
}

function hemisphere(value: number, letter: string | undefined, negative: string): number {
  return letter && letter.toUpperCase() === negative ? -Math.abs(value) : value;
}

/** Every pair of coordinates a text states in one of the forms above, in order, repeats left in. */
export function coordinatesIn(text: string): Coordinates[] {
  const found: Array<{ at: number; place: Coordinates }> = [];
  for (const match of text.matchAll(LABELLED_PAIR)) {
    const latitude = hemisphere(parse(match[1]!), match[2], 'S');
    const longitude = hemisphere(parse(match[3]!), match[4], 'W');
    const place = valid(latitude, longitude);
    if (place) found.push({ at: match.index, place });
  }
  for (const pattern of [LAT_THEN_LNG, GEO_URI]) {
    for (const match of text.matchAll(pattern)) {
      const place = valid(parse(match[1]!), parse(match[2]!));
      if (place) found.push({ at: match.index, place });
    }
  }
  return found.sort((a, b) => a.at - b.at).map((entry) => entry.place);
}

/** Two pairs within about a metre of each other are the same place (a page that repeats itself). */
export function samePlace(a: Coordinates, b: Coordinates): boolean {
  return Math.abs(a.latitude - b.latitude) < 1e-5 && Math.abs(a.longitude - b.longitude) < 1e-5;
}

/** The one place a text states; undefined when it states none, or several different ones. */
export function onePlaceIn(texts: readonly string[]): Coordinates | undefined {
  const all = texts.flatMap(coordinatesIn);
  const first = all[0];
  return first && all.every((place) => samePlace(place, first)) ? first : undefined;
}

/** The mean Earth radius (IUGG), in km. */
const EARTH_RADIUS_KM = 6371.0088;
const radians = (degrees: number) => (degrees * Math.PI) / 180;

/**
 * Great-circle distance by the haversine formula, in km. The Earth taken as a sphere is off by
 * at most about 0.5 % against the ellipsoid: far less than the walk from the street to the door.
 */
export function distanceKm(a: Coordinates, b: Coordinates): number {
  const dLat = radians(b.latitude - a.latitude);
  const dLng = radians(b.longitude - a.longitude);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.latitude)) * Math.cos(radians(b.latitude)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A distance as a person reads it: one decimal under 10 km, whole km beyond. */
export function roundedKm(km: number): number {
  return km < 10 ? Math.round(km * 10) / 10 : Math.round(km);
}
