/**
 * A document as read from a source, before it is cut into passages: its blocks in reading order,
 * headings among them. Every format (Markdown, text, HTML, DOCX, PDF) is read into this one shape,
 * so cutting passages and keeping title paths and anchors happens in one place (passages.ts).
 */

export type Block =
  | {
      kind: 'heading';
      /** 1 (the page title) to 6 */
      level: number;
      text: string;
      /** the fragment that opens this heading in a browser (an HTML id, a Markdown slug, `page=3`) */
      anchor: string | undefined;
    }
  | { kind: 'text'; text: string };

export interface KnowledgeDocument {
  /** a URL, or a path relative to the configured source */
  source: string;
  /** where a person can open it: an https URL, or undefined for a local file */
  url: string | undefined;
  /** the document's own title (an HTML title, a file name): the first step of every title path */
  title: string;
  blocks: Block[];
}

/** A part of a source that was not read, and why (for knowledge:check and the refresh log). */
export interface SkippedPart {
  source: string;
  reason: string;
}

export interface ReadDocuments {
  documents: KnowledgeDocument[];
  skipped: SkippedPart[];
}

/** Whitespace collapsed to single spaces, trimmed. */
export function cleanText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The title a file name gives: `shipping-and-returns.md` → "shipping and returns". */
export function titleFromName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  return cleanText(base.replace(/\.[a-z0-9]+$/i, '').replace(/[-_]+/g, ' ')) || base;
}
