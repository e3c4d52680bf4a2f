import { distanceKm, roundedKm, type Coordinates } from '../knowledge/geo';
import type { FoundPassage } from '../knowledge/passage';

/**
 * "Which store is nearest?": when the person has shared where they are, `search_knowledge` takes
 * `near_me`, and the passages it finds that state a place (src/knowledge/geo.ts) come back nearest
 * first, each with its straight-line distance. The places are only those the query finds, so
 * "store" gives stores and not the warehouse; among them the order is by distance alone. A linear
 * pass over the query's best matches: no geographic index, which a knowledge base of a few
 * thousand passages does not need.
 */

export const NEAR_ME = 'near_me';

/** How many of the query's best matches are looked through for places. */
export const PLACE_SEARCH_DEPTH = 50;

/** The argument the tool gains while the person's place is known, written to OpenAI's strict mode. */
export const nearMeProperty = {
  type: ['boolean', 'null'],
  description:
    'true: the places found come nearest first from the location the person shared, with distance_km ' +
    '(for "nearest store", "closest to me"); null: by relevance',
};

/** What the model is told with the places (or without any). */
export const NEAR_NOTES = {
  sorted: 'Nearest first, by straight-line distance in km from the location the person shared.',
  none: 'None of the matching passages states coordinates: distances are unknown.',
  noOrigin: 'The person has not shared a location: ask them to share it for distances.',
} as const;

export interface PlaceFound extends FoundPassage {
  readonly km: number;
}

/** The found passages that state a place, nearest first (ties kept in relevance order), at most `limit`. */
export function nearestFirst(found: readonly FoundPassage[], origin: Coordinates, limit: number): PlaceFound[] {
  return found
    .flatMap((hit) => (hit.passage.place ? [{ ...hit, km: distanceKm(origin, hit.passage.place) }] : []))
    .sort((a, b) => a.km - b.km)
    .slice(0, limit);
}

/** The distance a passage's place is from the person, as the model reads it; undefined without both. */
export function distanceOf(hit: FoundPassage, origin: Coordinates | undefined): number | undefined {
  const place = hit.passage.place;
  return place && origin ? roundedKm(distanceKm(origin, place)) : undefined;
}
