import { cleanText, titleFromName, type Block, type KnowledgeDocument } from './document';

/**
 * Markdown (CommonMark's usual subset) into blocks: ATX (`## Returns`) and setext headings,
 * paragraphs, list items, block quotes, tables and fenced code, with inline syntax (links,
 * emphasis, images, HTML tags) reduced to its words. Front matter is dropped except its title.
 * Headings get the slug GitHub and most static-site generators give them, as their anchor.
 */

const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
const ATX = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
const SETEXT = /^\s{0,3}(=+|-+)\s*$/;
const LIST_ITEM = /^\s*(?:[-*+]|\d{1,9}[.)])\s+/;
const THEMATIC_BREAK = /^\s{0,3}([-*_])(\s*\1){2,}\s*$/;
const TABLE_RULE = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;

/** Inline Markdown and HTML reduced to the words a person reads. */
export function plainInline(text: string): string {
  return cleanText(
    text
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
      // a map link keeps its target: it is where the place is (geo.ts)
      .replace(/\[([^\]]+)\]\((geo:[^)\s]+)\)/gi, '$1 ($2)')
      .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
      .replace(/<(https?:\/\/[^>\s]+)>/g, '$1')
      .replace(/<\/?[a-zA-Z][^>]*>/g, ' ')
      .replace(/(\*\*|__)(.+?)\1/g, '$2')
      .replace(/(^|[\s(])[*_]([^*_\s][^*_]*?)[*_](?=[\s).,;:!?]|$)/g, '$1$2')
      .replace(/`([^`]+)`/g, '$1')
      .replace(/\\([\\`*_{}[\]()#+\-.!|])/g, '$1'),
  );
}

/** GitHub's heading slug: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2. */
export function headingSlug(text: string, used: Map<string, number>): string {
  const base = text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
  const seen = used.get(base) ?? 0;
  used.set(base, seen + 1);
  return seen === 0 ? base : `${base}-${seen}`;
}

function frontMatter(lines: string[]): { title: string | undefined; skip: number } {
  if (lines[0]?.trim() !== '---') return { title: undefined, skip: 0 };
  const end = lines.findIndex((line, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(line));
  if (end < 0) return { title: undefined, skip: 0 };
  const titleLine = lines.slice(1, end).find((line) => /^title:\s*/.test(line));
  const title = titleLine ? cleanText(titleLine.replace(/^title:\s*/, '').replace(/^['"]|['"]$/g, '')) : undefined;
  return { title: title || undefined, skip: end + 1 };
}

class BlockCollector {
  readonly blocks: Block[] = [];
  private lines: string[] = [];
  private readonly slugs = new Map<string, number>();

  line(text: string): void {
    const stripped = text.replace(/^\s{0,3}>\s?/, '');
    if (TABLE_RULE.test(stripped) && stripped.includes('-')) return;
    const item = LIST_ITEM.test(stripped);
    const words = plainInline(stripped.replace(LIST_ITEM, '').replace(/^\s*\||\|\s*$/g, ''));
    if (!words) return;
    if (item || this.lines.length === 0) this.lines.push(item ? `- ${words}` : words);
    else this.lines[this.lines.length - 1] += ` ${words}`;
  }

  code(lines: string[]): void {
    this.flush();
    const text = lines.join('\n').trim();
    if (text) this.blocks.push({ kind: 'text', text });
  }

  heading(level: number, raw: string): void {
    this.flush();
    const text = plainInline(raw);
    if (text) this.blocks.push({ kind: 'heading', level, text, anchor: headingSlug(text, this.slugs) });
  }

  /** The paragraph (or list) gathered so far becomes a block. */
  flush(): void {
    if (this.lines.length > 0) this.blocks.push({ kind: 'text', text: this.lines.join('\n') });
    this.lines = [];
  }

  /** The last line added, taken back (a setext heading's text). */
  takeLastLine(): string | undefined {
    return this.lines.pop();
  }
}

export function extractMarkdown(markdown: string, source: string, url: string | undefined): KnowledgeDocument {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const { title: declaredTitle, skip } = frontMatter(lines);
  const out = new BlockCollector();
  let fence: { marker: string; lines: string[] } | undefined;
  let previousBlank = true;
  for (const line of lines.slice(skip)) {
    if (fence) {
      if (line.trim().startsWith(fence.marker)) {
        out.code(fence.lines);
        fence = undefined;
      } else fence.lines.push(line);
      continue;
    }
    const opening = FENCE.exec(line);
    const atx = ATX.exec(line);
    if (opening) fence = { marker: opening[1]!, lines: [] };
    else if (atx) out.heading(atx[1]!.length, atx[2]!);
    else if (SETEXT.test(line) && !previousBlank && !LIST_ITEM.test(line)) {
      const text = out.takeLastLine();
      if (text) out.heading(line.trim().startsWith('=') ? 1 : 2, text);
    } else if (line.trim() === '' || THEMATIC_BREAK.test(line)) out.flush();
    else out.line(line);
    previousBlank = line.trim() === '';
  }
  if (fence) out.code(fence.lines);
  out.flush();
  const firstHeading = out.blocks.find((block) => block.kind === 'heading' && block.level === 1);
  const title = declaredTitle ?? firstHeading?.text ?? titleFromName(source);
  return { source, url, title, blocks: out.blocks };
}
