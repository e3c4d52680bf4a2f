/**
 * Splitting an answer into messages that fit a platform's limit. Limits differ in unit: WhatsApp
 * (4096) and Messenger (2000) count characters, Instagram counts UTF-8 bytes (1000). We count
 * characters as UTF-16 code units, which is never fewer than what Meta counts, so a part that fits
 * here fits there. Cuts fall on a paragraph, line, sentence or word boundary when one is found in
 * the back half of the window, and always on a grapheme boundary: an emoji, a flag or a letter with
 * its accents is never torn apart.
 */

export interface TextLimit {
  max: number;
  unit: 'chars' | 'bytes';
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function measure(text: string, unit: TextLimit['unit']): number {
  return unit === 'bytes' ? Buffer.byteLength(text, 'utf8') : text.length;
}

/** Code-unit offsets where each grapheme ends, as long as the prefix still fits. */
function fittingGraphemeEnds(text: string, limit: TextLimit): number[] {
  const ends: number[] = [];
  let used = 0;
  for (const { segment, index } of graphemes.segment(text)) {
    used += measure(segment, limit.unit);
    if (used > limit.max) break;
    ends.push(index + segment.length);
  }
  return ends;
}

// Boundary finders, best first. Each returns the offset just after the boundary, or -1.
const boundaryFinders: Array<(window: string) => number> = [
  (window) => endOfLastMatch(window, /\n\s*\n/g), // paragraph
  (window) => endOfLastMatch(window, /\n/g), // line
  (window) => endOfLastMatch(window, /[.!?…]["'”’)\]]*\s+|[。！？]/g), // sentence
  (window) => endOfLastMatch(window, /\s+/g), // word
];

function endOfLastMatch(window: string, pattern: RegExp): number {
  let end = -1;
  for (const match of window.matchAll(pattern)) end = match.index + match[0].length;
  return end;
}

function cutPoint(text: string, limit: TextLimit): number {
  const ends = fittingGraphemeEnds(text, limit);
  const fitEnd = ends.at(-1);
  if (fitEnd === undefined) {
    // Not even one grapheme fits (a pathological cluster longer than the limit): cut by code point.
    const firstCodePoint = String.fromCodePoint(text.codePointAt(0) ?? 0x20);
    return firstCodePoint.length;
  }
  const boundaries = new Set(ends);
  const window = text.slice(0, fitEnd);
  for (const find of boundaryFinders) {
    const at = find(window);
    // Only take a boundary in the back half, so parts are not needlessly short.
    if (at > 0 && measure(window.slice(0, at), limit.unit) >= limit.max / 2 && boundaries.has(at)) return at;
  }
  return fitEnd;
}

export function splitForPlatform(text: string, limit: TextLimit): string[] {
  const parts: string[] = [];
  let rest = text.trim();
  while (rest.length > 0) {
    if (measure(rest, limit.unit) <= limit.max) {
      parts.push(rest);
      break;
    }
    const at = cutPoint(rest, limit);
    const part = rest.slice(0, at).trimEnd();
    if (part.length > 0) parts.push(part);
    rest = rest.slice(at).trimStart();
  }
  return parts;
}
