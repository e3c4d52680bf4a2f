/**
 * Grapheme boundaries near one offset of a long text, in time proportional to the distance looked
 * at rather than to the text. V8's Intl.Segmenter slows down quadratically with the length of the
 * string it walks, so it is only ever given short slices that start where a grapheme certainly
 * starts; most offsets are decided by a cheap test without it.
 */

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Slice length given to the segmenter at a time (doubled while one cluster is longer). */
const CHUNK = 256;

/**
 * Code points that never start a grapheme: combining marks, joiners, emoji modifiers, tag
 * characters, Thai/Lao AM, Hangul vowel and final jamo. Written as ranges of single code points.
 */
const CONTINUES_CLUSTER =
  /^(?:\p{M}|\u200c|\u200d|\u0e33|\u0eb3|[\u1160-\u11ff]|[\ud7b0-\ud7ff]|\ud83c[\udffb-\udfff]|\udb40[\udc20-\udc7f])/u;

/**
 * Characters after which a new grapheme starts unless the next code point continues the cluster:
 * ASCII but CR, CJK ideographs, kana and CJK / full-width punctuation (none is a prepending,
 * Hangul, regional-indicator or joiner character).
 */
function isSimpleBefore(code: number): boolean {
  if (code < 0x80) return code !== 0x0d;
  return (
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x3041 && code <= 0x3096) ||
    (code >= 0x30a1 && code <= 0x30fa) ||
    (code >= 0x3000 && code <= 0x3029) ||
    (code >= 0xff01 && code <= 0xff60)
  );
}

/** A certain answer for the common case; false means "not sure", not "not a boundary". */
function isPlainBoundary(text: string, at: number): boolean {
  return isSimpleBefore(text.charCodeAt(at - 1)) && !CONTINUES_CLUSTER.test(text.slice(at, at + 2));
}

/** The nearest offset in (floor, at] where a grapheme certainly starts, else `floor` (a known boundary). */
function safeStartBefore(text: string, at: number, floor: number): number {
  for (let i = at; i > floor; i -= 1) if (isPlainBoundary(text, i)) return i;
  return floor;
}

/**
 * The last grapheme boundary in (floor, at], or `floor` when a single cluster spans the whole
 * range. `floor` must itself be a boundary (the start of the text or of a part).
 */
export function lastBoundaryAtOrBefore(text: string, at: number, floor: number): number {
  if (at >= text.length) return text.length;
  if (at <= floor) return floor;
  if (isPlainBoundary(text, at)) return at;
  // A boundary depends on what precedes it and on the next code point: the slices reach at + 2.
  const horizon = Math.min(text.length, at + 2);
  let from = safeStartBefore(text, at - 1, floor);
  let last = from;
  let chunk = CHUNK;
  while (from < horizon) {
    const sliceEnd = Math.min(horizon, from + chunk);
    let reliable = from;
    for (const { index, segment } of graphemes.segment(text.slice(from, sliceEnd))) {
      const end = from + index + segment.length;
      if (end > at) return last > floor ? last : floor;
      if (end === sliceEnd) break; // may be a cluster cut by the slice: look again from `reliable`
      reliable = end;
      last = end;
    }
    if (reliable === from) chunk *= 2; // one cluster longer than the slice
    from = reliable;
  }
  return last > floor ? last : floor;
}

export function isGraphemeBoundary(text: string, at: number, floor: number): boolean {
  return lastBoundaryAtOrBefore(text, at, floor) === at;
}
