import { identifyDocument, type DocumentFormat } from './document-sniff';
import { MediaError } from './errors';
import type { ProcessSlots } from './process-slots';

/**
 * A document a person sent, as text the model reads: PDF and DOCX through a parser in a child
 * process (the knowledge base's, handed in as `parse`: it lives above this layer), plain text and
 * CSV decoded here. Caps: the download (DOCUMENT_MAX_BYTES, before this), the pages parsed
 * (DOCUMENT_MAX_PAGES) and the characters kept (DOCUMENT_MAX_CHARS); a cap that was hit is
 * reported so the person is told. A PDF with no text layer (a scan) is refused, unless the turn
 * can show the model images: then the parser draws its first pages (DOCUMENT_SCAN_PAGES) as JPEGs
 * in the same child process, and those go to the model instead of text. Failures are typed
 * MediaErrors, each with its friendly text.
 */

export interface DocumentLimits {
  maxBytes: number;
  maxPages: number;
  maxChars: number;
  /** the parser's child process: killed after this long, with at most this much memory */
  timeoutMs: number;
  maxMemoryMb: number;
  /** a scanned PDF's first pages drawn as images when the model sees images; 0: refused */
  scanPages: number;
}

export const DEFAULT_DOCUMENT_LIMITS: DocumentLimits = {
  maxBytes: 10 * 1024 * 1024,
  maxPages: 20,
  maxChars: 30_000,
  timeoutMs: 20_000,
  maxMemoryMb: 256,
  scanPages: 3,
};

/** Pages of a text-less PDF to draw, and the longest side of each in pixels. */
export interface ScanAsk {
  pages: number;
  sidePx: number;
}

/** Why the parser refused: the kinds the child reports (see src/knowledge/document-reader.ts). */
export type ParseRefusal = 'encrypted' | 'ceiling' | 'unreadable';

/** The knowledge base's child-process reader, as the turn hands it in. */
export type DocumentParser = (
  format: 'pdf' | 'docx',
  bytes: Buffer,
  limits: { timeoutMs: number; maxMemoryMb: number; maxPages: number; scan?: ScanAsk; signal?: AbortSignal },
) => Promise<{ pages: string[]; totalPages: number; scans?: Buffer[] }>;

export interface DocumentText {
  format: DocumentFormat;
  text: string;
  totalPages: number;
  /** set when DOCUMENT_MAX_PAGES cut the document: pages read */
  pagesRead?: number;
  /** set when DOCUMENT_MAX_CHARS cut the text: characters kept */
  charsKept?: number;
  /** a PDF with no text layer: its first pages as JPEGs (held for this turn only, never stored) */
  scans?: Buffer[];
}

export interface DocumentReading {
  parse: DocumentParser | undefined;
  limits: DocumentLimits;
  /** the worker's process slots, shared with ffmpeg: a parser child is a heavy process too */
  slots?: ProcessSlots;
  /** the parser's refusal kind, from its error */
  refusalOf: (error: unknown) => ParseRefusal | undefined;
  /** draw a scanned PDF's pages (unset, or 0 pages, when the model sees no images) */
  scan?: ScanAsk;
  signal?: AbortSignal;
}

export async function readDocument(
  bytes: Buffer,
  claim: { fileName?: string; mimeType?: string },
  reading: DocumentReading,
): Promise<DocumentText> {
  const format = identifyDocument(bytes, claim);
  const { limits } = reading;
  const { pages, totalPages, scans } =
    format === 'pdf' || format === 'docx'
      ? await parseInChild(format, bytes, reading)
      : { pages: [decodeText(bytes)], totalPages: 1, scans: undefined };
  const joined = pages
    .map((page) => page.replace(/[^\S\n]+/g, ' ').trim())
    .filter((page) => page !== '')
    .join('\n\n');
  if (joined === '' && format === 'pdf' && scans?.length) {
    return { format, text: '', totalPages, scans, ...(totalPages > scans.length ? { pagesRead: scans.length } : {}) };
  }
  if (joined === '') {
    throw format === 'pdf'
      ? new MediaError('document-no-text', 'the PDF pages read have no text layer')
      : new MediaError('unreadable', `the ${format} has no text`);
  }
  const text = joined.length > limits.maxChars ? joined.slice(0, limits.maxChars) : joined;
  return {
    format,
    text,
    totalPages,
    ...(totalPages > pages.length ? { pagesRead: pages.length } : {}),
    ...(text.length < joined.length ? { charsKept: text.length } : {}),
  };
}

async function parseInChild(format: 'pdf' | 'docx', bytes: Buffer, reading: DocumentReading) {
  const { parse, limits, signal, scan } = reading;
  if (!parse) throw new MediaError('unsupported-type', `no ${format} reader in this process`);
  const run = () => parse(format, bytes, { ...limits, signal, ...(scan?.pages ? { scan } : {}) });
  try {
    return reading.slots ? await reading.slots.run(run, signal) : await run();
  } catch (error) {
    if (error instanceof MediaError) throw error;
    const refusal = reading.refusalOf(error);
    const message = error instanceof Error ? error.message : String(error);
    if (refusal === 'encrypted') throw new MediaError('document-encrypted', message, false, { cause: error });
    if (refusal === 'ceiling') throw new MediaError('document-too-complex', message, false, { cause: error });
    throw new MediaError('unreadable', message, false, { cause: error });
  }
}

/** UTF-8 text, a byte order mark dropped, line ends made plain. */
function decodeText(bytes: Buffer): string {
  return new TextDecoder('utf-8', { fatal: false, ignoreBOM: false })
    .decode(bytes)
    .replace(/\r\n?/g, '\n')
    .replaceAll('\u0000', '');
}
