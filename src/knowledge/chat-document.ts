import { readInChild, type ChildLimits } from './document-reader';
import { extractHtml } from './extract-html';

/**
 * A PDF or DOCX a person sent in the chat, read by the same child process (and parsers) as the
 * business's knowledge: the text of its pages, the first `limits.maxPages` of a PDF only. A DOCX
 * has no pages of its own: its text is one page. A PDF without text (a scan) comes back with its
 * first `limits.scan.pages` pages drawn as JPEGs when asked. The turn's media step wraps this (it
 * cannot import the knowledge base itself; it sits below it).
 */

export interface ChatDocumentText {
  /** text per page read, in order */
  pages: string[];
  /** pages in the whole document (a DOCX counts as one) */
  totalPages: number;
  /** a PDF with no text: its first pages as JPEGs, when `limits.scan` asked for them */
  scans?: Buffer[];
}

export async function readChatDocument(
  format: 'pdf' | 'docx',
  bytes: Buffer,
  limits: ChildLimits,
): Promise<ChatDocumentText> {
  const answer = await readInChild(format, bytes, limits);
  if (answer.kind === 'pdf') {
    const scans = answer.scans?.map((jpeg) => Buffer.from(jpeg, 'base64'));
    const totalPages = answer.totalPages ?? answer.pages.length;
    return { pages: answer.pages, totalPages, ...(scans?.length ? { scans } : {}) };
  }
  const document = extractHtml(answer.html, 'document.docx', undefined);
  const text = document.blocks.map((block) => block.text).join('\n\n');
  return { pages: [text], totalPages: 1 };
}
