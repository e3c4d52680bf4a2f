import { parse, NodeType, type HTMLElement, type Node } from 'node-html-parser';
import { cleanText, titleFromName, type Block, type KnowledgeDocument } from './document';

/**
 * HTML into blocks with node-html-parser (a small, dependency-free DOM parser, tolerant of broken
 * markup). The page's main content is read when it marks one (`<main>`, `role=main`, a single
 * `<article>`); navigation, headers, footers, forms, scripts and hidden parts are dropped.
 * Headings keep their `id` (or a named anchor inside them, or the id of the section they open)
 * as the anchor a citation links to. DOCX files reach this too, through mammoth's HTML.
 */

const DROPPED =
  'script, style, noscript, template, svg, canvas, iframe, nav, footer, aside, form, button, select, dialog, ' +
  '[hidden], [aria-hidden="true"], [role="navigation"], [role="banner"], [role="contentinfo"], [role="search"]';

const BLOCK_TAGS = new Set(
  'p div section article main li dt dd pre blockquote figure figcaption table caption tr ul ol dl hr br address details summary'.split(
    ' ',
  ),
);
const HEADING = /^h([1-6])$/;

class HtmlBlocks {
  readonly blocks: Block[] = [];
  private words: string[] = [];
  private prefix = '';

  text(value: string): void {
    this.words.push(value);
  }

  /** A block boundary: the words since the last one become a text block. */
  flush(): void {
    const text = cleanText(this.words.join(' '));
    if (text) this.blocks.push({ kind: 'text', text: `${this.prefix}${text}` });
    this.words = [];
    this.prefix = '';
  }

  startItem(): void {
    this.flush();
    this.prefix = '- ';
  }

  heading(level: number, text: string, anchor: string | undefined): void {
    this.flush();
    if (text) this.blocks.push({ kind: 'heading', level, text, anchor });
  }
}

function anchorOf(heading: HTMLElement): string | undefined {
  const own = heading.getAttribute('id') ?? heading.querySelector('a[id], a[name]');
  if (typeof own === 'string') return own || undefined;
  if (own) return own.getAttribute('id') ?? own.getAttribute('name') ?? undefined;
  // A heading that opens a section takes the section's id (`<section id="returns"><h2>`).
  const parent = heading.parentNode;
  const opensParent = parent?.firstElementChild === heading || parent?.parentNode?.firstElementChild === parent;
  return opensParent ? (parent?.getAttribute('id') ?? parent?.parentNode?.getAttribute('id') ?? undefined) : undefined;
}

function walk(node: Node, out: HtmlBlocks): void {
  if (node.nodeType === NodeType.TEXT_NODE) {
    out.text(node.text);
    return;
  }
  if (node.nodeType !== NodeType.ELEMENT_NODE) return;
  const element = node as HTMLElement;
  const tag = element.rawTagName?.toLowerCase() ?? '';
  const heading = HEADING.exec(tag);
  if (heading) {
    out.heading(Number(heading[1]), cleanText(element.text), anchorOf(element));
    return;
  }
  if (tag === 'img') {
    out.text(element.getAttribute('alt') ?? '');
    return;
  }
  const block = BLOCK_TAGS.has(tag);
  if (tag === 'li' || tag === 'dt') out.startItem();
  else if (block) out.flush();
  for (const child of element.childNodes) {
    walk(child, out);
    if (tag === 'tr' && child.nodeType === NodeType.ELEMENT_NODE) out.text('|');
  }
  // A map link keeps its target: it is where the place is (geo.ts).
  const href = tag === 'a' ? element.getAttribute('href')?.trim() : undefined;
  if (href && /^geo:/i.test(href)) out.text(`(${href})`);
  if (block) out.flush();
}

function contentRoot(root: HTMLElement): HTMLElement {
  const main = root.querySelector('main, [role="main"]');
  if (main) return main;
  const articles = root.querySelectorAll('article');
  if (articles.length === 1) return articles[0]!;
  return root.querySelector('body') ?? root;
}

export function extractHtml(html: string, source: string, url: string | undefined): KnowledgeDocument {
  const root = parse(html, { comment: false, blockTextElements: { pre: true } });
  const pageTitle = cleanText(root.querySelector('title')?.text ?? '');
  const content = contentRoot(root);
  for (const element of content.querySelectorAll(DROPPED)) element.remove();
  // A page header outside the main content is site chrome; one inside an article is its title.
  if (content === root.querySelector('body') || content === root)
    for (const element of content.querySelectorAll('body > header')) element.remove();
  const out = new HtmlBlocks();
  walk(content, out);
  out.flush();
  const firstHeading = out.blocks.find((block) => block.kind === 'heading' && block.level === 1);
  // The page's own heading over <title>, which usually adds the site's name.
  const title = firstHeading?.text || pageTitle || titleFromName(source);
  return { source, url, title, blocks: out.blocks.map(tidyRow) };
}

/** A table row's trailing cell separator dropped ("a | b |" → "a | b"). */
function tidyRow(block: Block): Block {
  return block.kind === 'text' ? { ...block, text: block.text.replace(/\s*\|\s*$/, '') } : block;
}
