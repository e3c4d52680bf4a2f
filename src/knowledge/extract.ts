import type { Block, KnowledgeDocument, SkippedPart } from './document';
import { titleFromName } from './document';
import { readInChild, type ChildLimits } from './document-reader';
import { extractHtml } from './extract-html';
import { extractMarkdown } from './extract-markdown';
import { extractPlainText } from './extract-text';

/**
 * One document's bytes into a KnowledgeDocument, by format. Markdown, text and HTML are read in
 * the worker (string work over a size-capped input); PDF and DOCX, whose parsers unpack
 * compressed streams a hostile file can inflate without bound, are read in a child process.
 */

export type DocumentFormat = 'markdown' | 'text' | 'html' | 'pdf' | 'docx';

export const FORMAT_OF_EXTENSION: Record<string, DocumentFormat> = {
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.txt': 'text',
  '.text': 'text',
  '.html': 'html',
  '.htm': 'html',
  '.pdf': 'pdf',
  '.docx': 'docx',
};

export interface Extracted {
  document: KnowledgeDocument | undefined;
  /** parts of it that were not read, and why */
  skipped: SkippedPart[];
}

function pdfDocument(pages: string[], title: string | undefined, source: string, url: string | undefined) {
  const blocks: Block[] = [];
  const skipped: SkippedPart[] = [];
  pages.forEach((page, i) => {
    const paragraphs = page
      .split(/\n\s*\n/)
      .map((paragraph) => paragraph.replace(/\s+/g, ' ').trim())
      .filter(Boolean);
    if (paragraphs.length === 0) return;
    blocks.push({ kind: 'heading', level: 2, text: `page ${i + 1}`, anchor: `page=${i + 1}` });
    for (const text of paragraphs) blocks.push({ kind: 'text', text });
  });
  const empty = pages.filter((page) => page.trim() === '').length;
  if (empty > 0 && blocks.length > 0)
    skipped.push({ source, reason: `${empty} of ${pages.length} pages have no text` });
  if (blocks.length === 0)
    skipped.push({ source, reason: 'no text layer (a scanned PDF needs OCR, which is not done here)' });
  const document =
    blocks.length > 0 ? { source, url, title: title?.trim() || titleFromName(source), blocks } : undefined;
  return { document, skipped };
}

export async function extractDocument(
  bytes: Buffer,
  format: DocumentFormat,
  where: { source: string; url: string | undefined },
  limits: ChildLimits,
): Promise<Extracted> {
  const { source, url } = where;
  if (format === 'pdf') {
    const answer = await readInChild('pdf', bytes, limits);
    return answer.kind === 'pdf'
      ? pdfDocument(answer.pages, answer.title, source, url)
      : { document: undefined, skipped: [] };
  }
  if (format === 'docx') {
    const answer = await readInChild('docx', bytes, limits);
    if (answer.kind !== 'docx') return { document: undefined, skipped: [] };
    const document = extractHtml(answer.html, source, url);
    return { document, skipped: answer.warnings.map((warning) => ({ source, reason: `DOCX: ${warning}` })) };
  }
  const text = bytes.toString('utf8');
  const document =
    format === 'html'
      ? extractHtml(text, source, url)
      : format === 'markdown'
        ? extractMarkdown(text, source, url)
        : extractPlainText(text, source, url);
  return { document, skipped: [] };
}
