import { createHash } from 'node:crypto';
import type { Block, KnowledgeDocument } from './document';
import { onePlaceIn } from './geo';
import type { Passage } from './passage';

/**
 * Cutting documents into passages: a new passage at every heading, then paragraphs gathered until
 * a passage holds about TARGET_WORDS; a paragraph longer than MAX_WORDS is cut at sentence ends.
 * A passage never spans two headings, so a short FAQ answer stays one passage with its question
 * as the last step of its title path. Each passage links to the nearest heading above it that has
 * an anchor.
 */

export const TARGET_WORDS = 220;
export const MAX_WORDS = 360;

interface OpenHeading {
  level: number;
  text: string;
  anchor: string | undefined;
}

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

/** A paragraph over MAX_WORDS, cut at sentence ends into pieces of about TARGET_WORDS (and at words, for a run-on). */
export function splitLongText(text: string): string[] {
  if (wordCount(text) <= MAX_WORDS) return [text];
  const sentences = text.match(/[^.!?\n]+(?:[.!?]+["')\]]*|\n|$)\s*/g) ?? [text];
  const pieces: string[] = [];
  let current: string[] = [];
  let words = 0;
  const push = () => {
    if (current.length > 0) pieces.push(current.join('').trim());
    current = [];
    words = 0;
  };
  for (const sentence of sentences) {
    const count = wordCount(sentence);
    if (count > MAX_WORDS) {
      push();
      const all = sentence.split(/\s+/).filter(Boolean);
      for (let i = 0; i < all.length; i += TARGET_WORDS) pieces.push(all.slice(i, i + TARGET_WORDS).join(' '));
      continue;
    }
    if (words + count > TARGET_WORDS && words > 0) push();
    current.push(sentence);
    words += count;
  }
  push();
  return pieces.filter(Boolean);
}

function passageId(source: string, url: string | undefined, titlePath: string[], text: string): string {
  return createHash('sha256')
    .update([source, url ?? '', titlePath.join('\u001f'), text].join('\u0000'))
    .digest('base64url')
    .slice(0, 22);
}

class PassageCutter {
  readonly passages: Passage[] = [];
  private readonly seen = new Set<string>();
  private headings: OpenHeading[] = [];
  private texts: string[] = [];
  private words = 0;

  constructor(private readonly document: KnowledgeDocument) {}

  heading(block: Extract<Block, { kind: 'heading' }>): void {
    this.flush();
    this.headings = [...this.headings.filter((open) => open.level < block.level), block];
  }

  text(text: string): void {
    for (const piece of splitLongText(text)) {
      const count = wordCount(piece);
      if (this.words + count > MAX_WORDS) this.flush();
      this.texts.push(piece);
      this.words += count;
      if (this.words >= TARGET_WORDS) this.flush();
    }
  }

  flush(): void {
    if (this.texts.length === 0) return;
    const { source, url, title } = this.document;
    const steps = this.headings.map((open) => open.text);
    const titlePath = steps[0] === title ? steps : [title, ...steps];
    const anchor = [...this.headings].reverse().find((open) => open.anchor)?.anchor;
    const link = url && anchor ? `${url.replace(/#.*$/, '')}#${anchor}` : url;
    const text = this.texts.join('\n');
    const id = passageId(source, link, titlePath, text);
    if (!this.seen.has(id)) this.passages.push({ id, titlePath, text, url: link, source });
    this.seen.add(id);
    this.texts = [];
    this.words = 0;
  }
}

export function cutPassages(document: KnowledgeDocument): Passage[] {
  const cutter = new PassageCutter(document);
  for (const block of document.blocks) {
    if (block.kind === 'heading') cutter.heading(block);
    else cutter.text(block.text);
  }
  cutter.flush();
  return withPlaces(cutter.passages);
}

/**
 * Every passage of a section (the passages in a row under one title path) takes the place the
 * section states, so a store's long section is found near the person in each of its parts. A
 * section that states several different places (a table of stores) gives none: which row is
 * where cannot be told from words, so each store needs its own heading.
 */
function withPlaces(passages: Passage[]): Passage[] {
  const out: Passage[] = [];
  for (let start = 0; start < passages.length;) {
    const path = passages[start]!.titlePath.join('\u001f');
    let end = start + 1;
    while (end < passages.length && passages[end]!.titlePath.join('\u001f') === path) end += 1;
    const section = passages.slice(start, end);
    const place = onePlaceIn(section.map((passage) => passage.text));
    out.push(...(place ? section.map((passage) => ({ ...passage, place })) : section));
    start = end;
  }
  return out;
}
