/**
 * What the model said a photo shows, kept so the conversation can go on about it. The photo's
 * bytes are never kept, so without a note "what colour would suit it?" would reach the model with
 * nothing to refer to. On a turn with a photo the model is asked to end its answer with a tag,
 * `[photo: red leather ankle boots]`; the tag is cut from the answer (the person never sees it)
 * and goes into the history beside the person's turn, sealed and erased like the rest of it.
 */

/** Longest note kept: a few words are enough to recall a photo, and the history has a budget. */
export const MAX_PHOTO_NOTE_CHARS = 160;

export const PHOTO_NOTE_REQUEST = [
  'The person sent a photo. End your answer with one line exactly like',
  '[photo: red leather ankle boots with a block heel]',
  'saying in at most 12 words what the photo shows (kind of thing, colour, material, style).',
  'That line is cut before they read your answer; it lets you recall the photo later, when the image itself is gone.',
].join(' ');

/** The same tag for a scanned document, whose pages reach the model as images the history never keeps. */
export const SCAN_NOTE_REQUEST = [
  'The person sent a scanned document: its pages are the images. End your answer with one line exactly like',
  '[photo: a restaurant bill from 3 May, total 84 EUR]',
  'saying in at most 12 words what the document is and its key facts.',
  'That line is cut before they read your answer; it lets you recall the document later, when its images are gone.',
].join(' ');

const TAG = /\[\s*photo\s*:\s*([^\]]*?)\s*\]/giu;

/** The answer without any photo tag, and the first tag's note (trimmed to the longest kept). */
export function takePhotoNote(answer: string): { text: string; note?: string } {
  let note: string | undefined;
  const text = answer
    .replace(TAG, (_tag, words: string) => {
      const clean = words.replace(/\s+/g, ' ').trim();
      if (!note && clean !== '') note = [...clean].slice(0, MAX_PHOTO_NOTE_CHARS).join('');
      return '';
    })
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return note ? { text, note } : { text };
}

/** A kept turn's photo note ("[photo: …]" or "[2 photos: …]" at its start), if it has one. */
export function photoNoteIn(historyText: string): string | undefined {
  return /^\[(?:photo|\d+ photos): ([^\]\n]+)\]/u.exec(historyText)?.[1];
}
