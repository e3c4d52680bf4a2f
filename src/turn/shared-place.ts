import type { HistoryEntry } from '../conversation/history';
import type { Coordinates } from '../knowledge/geo';
import { placeIn } from '../media/place';
import type { GatheredTurn } from '../turn-state/turn-context';

/**
 * Where the person is, for "which store is nearest?": the place this turn shares, else the last
 * one they shared in this conversation within SHARED_PLACE_MINUTES, read back from the history's
 * line for it (src/media/place.ts). Nothing is kept for this beyond the history itself, so the
 * place lives, is exported and is erased exactly as the conversation is; past the window a person
 * has likely moved on, and the model asks again rather than measuring from an old place.
 */

export const SHARED_PLACE_MINUTES = 120;

export function sharedPlace(
  turn: Pick<GatheredTurn, 'gathered'>,
  past: readonly Pick<HistoryEntry, 'role' | 'content' | 'at'>[],
  now = Date.now(),
): Coordinates | undefined {
  const here = turn.gathered.location;
  if (here) return { latitude: here.latitude, longitude: here.longitude };
  const since = now - SHARED_PLACE_MINUTES * 60_000;
  for (let i = past.length - 1; i >= 0 && past[i]!.at >= since; i -= 1) {
    const entry = past[i]!;
    const place = entry.role === 'user' ? placeIn(entry.content) : undefined;
    if (place) return place;
  }
  return undefined;
}
