import type { ChildLimits } from './document-reader';

/** What reading sources may cost: bytes per document, pages per sitemap, time, the PDF/DOCX child's ceilings. */
export interface ReadLimits {
  maxBytes: number;
  maxPages: number;
  /** one download, redirects included */
  downloadTimeoutMs: number;
  child: ChildLimits;
}

export const DOWNLOAD_TIMEOUT_MS = 30_000;
