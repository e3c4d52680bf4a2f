import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse, NodeType, type HTMLElement, type Node } from 'node-html-parser';

/**
 * How bench/knowledge-data/gnome-help/ was made (see the README beside this file): GNOME Help's
 * Mallard pages (`.page`, CC BY-SA 3.0) turned into plain HTML pages, one per topic, so the bench
 * reads them as a business's exported help centre. Titles become <h1>, sections <h2>/<h3> with
 * their Mallard ids, paragraphs, lists, steps, notes and tables keep their text; images, the
 * navigation links of <info> and the alternatives for other desktop flavours (<if:when>) are
 * dropped. Each page keeps its authors' credits in <meta name="author">.
 *
 *   npx tsx bench/knowledge-data/convert-gnome-help.ts /usr/share/help/C/gnome-help bench/knowledge-data/gnome-help
 */

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const clean = (text: string) => text.replace(/\s+/g, ' ').trim();

const DROPPED = new Set(['info', 'media', 'comment', 'include', 'links', 'if:when', 'credit', 'revision']);
const BLOCKS: Record<string, string> = {
  p: 'p',
  note: 'div',
  steps: 'ol',
  list: 'ul',
  terms: 'dl',
  tree: 'ul',
  table: 'table',
  tr: 'tr',
  td: 'td',
  th: 'th',
  code: 'pre',
  screen: 'pre',
  example: 'div',
  quote: 'blockquote',
  figure: 'div',
  synopsis: 'div',
};

function inline(node: Node): string {
  if (node.nodeType === NodeType.TEXT_NODE) return escape(node.text);
  if (node.nodeType !== NodeType.ELEMENT_NODE) return '';
  const element = node as HTMLElement;
  const tag = element.rawTagName.toLowerCase();
  if (DROPPED.has(tag)) return '';
  // Inside a paragraph, <code> is a word in monospace, not a block of its own.
  if (tag === 'code') return element.childNodes.map(inline).join('');
  if (tag in BLOCKS || tag === 'item' || tag === 'section' || tag === 'title') return block(element, 2);
  return element.childNodes.map(inline).join('');
}

function block(element: HTMLElement, depth: number): string {
  const tag = element.rawTagName.toLowerCase();
  if (DROPPED.has(tag)) return '';
  const children = (level: number) => element.childNodes.map((child) => blockOrInline(child, level)).join('');
  if (tag === 'section') {
    const id = element.getAttribute('id');
    return `<section${id ? ` id="${escape(id)}"` : ''}>${children(depth + 1)}</section>\n`;
  }
  if (tag === 'title')
    return `<h${Math.min(depth, 6)}>${clean(element.childNodes.map(inline).join(''))}</h${Math.min(depth, 6)}>\n`;
  if (tag === 'item') {
    const inTerms = element.parentNode?.rawTagName.toLowerCase() === 'terms';
    if (inTerms) {
      const term = element.childNodes.find((c) => (c as HTMLElement).rawTagName?.toLowerCase() === 'title');
      const rest = element.childNodes.filter((c) => c !== term);
      return `<dt>${term ? clean(term.childNodes.map(inline).join('')) : ''}</dt><dd>${rest.map((c) => blockOrInline(c, depth)).join('')}</dd>\n`;
    }
    return `<li>${children(depth)}</li>\n`;
  }
  if (tag === 'p') return `<p>${element.childNodes.map(inline).join('')}</p>\n`;
  const html = BLOCKS[tag];
  if (html) return `<${html}>${children(depth)}</${html}>\n`;
  return children(depth);
}

function blockOrInline(node: Node, depth: number): string {
  if (node.nodeType !== NodeType.ELEMENT_NODE) return inline(node);
  const tag = (node as HTMLElement).rawTagName.toLowerCase();
  return tag in BLOCKS || ['section', 'title', 'item', 'if:choose', 'if:else'].includes(tag)
    ? block(node as HTMLElement, depth)
    : inline(node);
}

function convert(source: string): { id: string; html: string } | undefined {
  const root = parse(source, { voidTag: { tags: [] }, blockTextElements: {}, comment: false });
  const page = root.querySelector('page');
  if (!page || page.getAttribute('type') === 'guide') return undefined;
  const id = page.getAttribute('id')!;
  const desc = clean(page.querySelector('info > desc')?.text ?? '');
  const authors = [...new Set(page.querySelectorAll('info > credit > name').map((n) => clean(n.text)))];
  const title = page.childNodes.find((c) => (c as HTMLElement).rawTagName?.toLowerCase() === 'title');
  const rest = page.childNodes.filter((child) => child !== title);
  // The page's short description reads as its first paragraph, under its title.
  const body = [
    title ? block(title as HTMLElement, 1) : '',
    desc ? `<p>${escape(desc)}</p>\n` : '',
    ...rest.map((child) => blockOrInline(child, 1)),
  ]
    .join('')
    .replace(/>\s+</g, '>\n<')
    .replace(/[ \t]*\n\s*/g, '\n');
  const html = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta name="author" content="${escape(authors.join(', '))}">`,
    '<meta name="license" content="CC BY-SA 3.0: https://creativecommons.org/licenses/by-sa/3.0/">',
    `<link rel="canonical" href="https://help.gnome.org/users/gnome-help/stable/${id}.html">`,
    `</head><body><main>\n${body}</main></body></html>`,
    '',
  ].join('\n');
  return { id, html };
}

function main([from, to]: string[]): void {
  if (!from || !to) throw new Error('usage: convert-gnome-help.ts <mallard folder> <html folder>');
  mkdirSync(to, { recursive: true });
  let written = 0;
  for (const name of readdirSync(from)
    .filter((file) => file.endsWith('.page'))
    .sort()) {
    const page = convert(readFileSync(path.join(from, name), 'utf8'));
    if (!page) continue;
    writeFileSync(path.join(to, `${page.id}.html`), page.html);
    written += 1;
  }
  process.stdout.write(`${written} pages written to ${to}\n`);
}

main(process.argv.slice(2));
