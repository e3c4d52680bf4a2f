import { isGraphemeBoundary, lastBoundaryAtOrBefore } from './grapheme-boundary';
import { translatorFor } from '../i18n/translator';
import { replyTexts } from './reply-texts';

/**
 * Splitting an answer into messages that fit a platform's limit. Limits differ in unit: WhatsApp
 * (4096) and Messenger (2000) count characters, Instagram counts UTF-8 bytes (1000). We count
 * characters as UTF-16 code units, which is never fewer than what Meta counts, so a part that fits
 * here fits there. Cuts fall on a paragraph, line, sentence or word boundary when one is found in
 * the back half of the window, and otherwise on a grapheme boundary: an emoji, a flag or a letter
 * with its accents is not torn apart. A single cluster longer than the limit (a letter under
 * hundreds of combining marks) is the exception: it is cut at the limit, never code point by code
 * point.
 *
 * One answer is at most MAX_REPLY_PARTS messages; a longer one is cut short and its last part says
 * so. Each part costs work proportional to its own length, so splitting is linear in the text.
 */

export interface TextLimit {
  max: number;
  unit: 'chars' | 'bytes';
}

/** Messages one answer may take; past this the user gets a shortened answer, not a flood. */
export const MAX_REPLY_PARTS = 10;

const PARTS_SEPARATOR = '\n\n';

/** The size of `text` in the limit's unit (what a platform counts against its one-message limit). */
export function measure(text: string, unit: TextLimit['unit']): number {
  return unit === 'bytes' ? Buffer.byteLength(text, 'utf8') : text.length;
}

function utf8Bytes(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/** The furthest offset whose text from `start` fits the limit, never inside a surrogate pair. */
function fitEnd(text: string, start: number, limit: TextLimit): number {
  if (limit.unit === 'chars') {
    const end = Math.min(text.length, start + limit.max);
    const last = text.charCodeAt(end - 1);
    return end < text.length && last >= 0xd800 && last <= 0xdbff ? end - 1 : end;
  }
  let used = 0;
  let at = start;
  while (at < text.length) {
    const codePoint = text.codePointAt(at)!;
    used += utf8Bytes(codePoint);
    if (used > limit.max) break;
    at += codePoint > 0xffff ? 2 : 1;
  }
  return at;
}

// Boundary finders, best first. Each returns the offset just after the boundary, or -1.
const boundaryFinders: RegExp[] = [
  /\n\s*\n/g, // paragraph
  /\n/g, // line
  /[.!?…]["'”’)\]]*\s+|[。！？]/g, // sentence
  /\s+/g, // word
];

function endOfLastMatch(window: string, pattern: RegExp): number {
  let end = -1;
  for (const match of window.matchAll(pattern)) end = match.index + match[0].length;
  return end;
}

/** Where the part starting at `start` ends (`start` < `text.length`, and is a grapheme boundary). */
function cutPoint(text: string, start: number, limit: TextLimit): number {
  const fit = fitEnd(text, start, limit);
  if (fit >= text.length) return text.length;
  const grapheme = lastBoundaryAtOrBefore(text, fit, start);
  // One cluster longer than the limit: cut it at the limit (at least one code point, to progress).
  if (grapheme === start) return Math.max(fit, start + (text.codePointAt(start)! > 0xffff ? 2 : 1));
  const window = text.slice(start, grapheme);
  for (const pattern of boundaryFinders) {
    const at = endOfLastMatch(window, pattern);
    // Only take a boundary in the back half, so parts are not needlessly short.
    if (at <= 0 || measure(window.slice(0, at), limit.unit) < limit.max / 2) continue;
    if (isGraphemeBoundary(text, start + at, start)) return start + at;
  }
  return grapheme;
}

const LEADING_SPACE = /\s*/y;

function skipSpace(text: string, at: number): number {
  LEADING_SPACE.lastIndex = at;
  LEADING_SPACE.test(text);
  return LEADING_SPACE.lastIndex;
}

/** The parts of `text` one by one, each with the offset it starts at (lazy: a capped split stops early). */
function* partsOf(text: string, limit: TextLimit): Generator<{ part: string; start: number }> {
  let start = skipSpace(text, 0);
  while (start < text.length) {
    const end = cutPoint(text, start, limit);
    const part = text.slice(start, end).trimEnd();
    if (part.length > 0) yield { part, start };
    start = skipSpace(text, end);
  }
}

/** `note` closes an answer cut at `maxParts`, in the person's language (English unless given). */
export function splitForPlatform(
  text: string,
  limit: TextLimit,
  maxParts = MAX_REPLY_PARTS,
  note = replyTexts.answerShortened(translatorFor('en')),
): string[] {
  const trimmed = text.trim();
  const parts: Array<{ part: string; start: number }> = [];
  for (const entry of partsOf(trimmed, limit)) {
    if (parts.length === maxParts) return shortened(trimmed, parts, limit, note);
    parts.push(entry);
  }
  return parts.map(({ part }) => part);
}

/** The first parts as they are, then the start of the last one with the "shortened" note, within the limit. */
function shortened(
  text: string,
  parts: Array<{ part: string; start: number }>,
  limit: TextLimit,
  note: string,
): string[] {
  const separated = PARTS_SEPARATOR + note;
  const room = { max: Math.max(1, limit.max - measure(separated, limit.unit)), unit: limit.unit };
  const last = parts.at(-1)!;
  const head = partsOf(text.slice(last.start), room).next();
  const lastPart = head.done ? note : head.value.part + separated;
  return [...parts.slice(0, -1).map(({ part }) => part), lastPart];
}
