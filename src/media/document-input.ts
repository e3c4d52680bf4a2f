import type { Attachment } from '../core/inbound';
import { DEFAULT_DOCUMENT_LIMITS, readDocument, type DocumentText } from './document';
import type { AttachmentReading, MediaReaders, PreparedInput } from './prepare-input';
import { videoBlock, videoHistory, type WatchedVideo } from './video-input';

/**
 * How a document joins the person's turn: its text between marks the model can tell from the
 * person's own words (like a voice note's transcript), and what the history keeps of it, the
 * name and the start of the text, so a follow-up question a turn later still knows what it was,
 * while the history's character budget is not spent on one file. A scanned PDF (no text layer)
 * joins as its first pages drawn as images, like photos: the history keeps its name and what the
 * model said the pages show, never the images. The bytes are never kept.
 */

export interface ReadDocument extends DocumentText {
  /** the file name the sender's app gave, if any */
  name: string | undefined;
}

/** Characters of a document's text the history keeps. */
export const DOCUMENT_HISTORY_CHARS = 1500;

const label = (document: ReadDocument) => {
  const name = document.name ? `${cleanName(document.name)}, ` : '';
  const pages = document.format === 'pdf' ? `${document.totalPages} pages` : document.format;
  return `${name}${pages}`;
};

/** A file name as a label: one line, no brackets that would close the mark, at most 120 characters. */
function cleanName(name: string): string {
  return name
    .replace(/[\r\n\t[\]]+/g, ' ')
    .trim()
    .slice(0, 120);
}

/** How a scanned document's entry in the history ends: the model's note on it follows. */
const SCANNED = ', scanned]';

/** A scanned document's line: which of the turn's images are its pages (`first`: 1-based). */
function scanBlock(document: ReadDocument, first: number): string {
  const count = document.scans?.length ?? 0;
  const which = count === 1 ? `image ${first}` : `images ${first} to ${first + count - 1}`;
  const cut = document.pagesRead ? `its first ${count} pages` : 'its pages';
  return `[document: ${label(document)}] (a scan with no text layer: ${cut} are ${which} below)`;
}

export function documentBlock(document: ReadDocument, firstImage = 1): string {
  if (document.scans) return scanBlock(document, firstImage);
  const cut = document.pagesRead
    ? ` (the first ${document.pagesRead} pages only)`
    : document.charsKept
      ? ' (its beginning only)'
      : '';
  return `[document: ${label(document)}]${cut}\n${document.text}\n[end of document]`;
}

export function documentHistory(document: ReadDocument): string {
  if (document.scans) return `[document: ${label(document)}${SCANNED}`;
  const text = document.text.replace(/\s+/g, ' ');
  const excerpt = text.length > DOCUMENT_HISTORY_CHARS ? `${text.slice(0, DOCUMENT_HISTORY_CHARS)}…` : text;
  return `[document: ${label(document)}] ${excerpt}`;
}

/** The history's document entries with the model's note on the first scanned one after it. */
export function withScanNote(kept: string[], note: string | undefined): string[] {
  const at = note ? kept.findIndex((entry) => entry.endsWith(SCANNED)) : -1;
  return at < 0 ? kept : kept.map((entry, i) => (i === at ? `${entry} ${note}` : entry));
}

/** Downloads (up to DOCUMENT_MAX_BYTES) and reads one document. */
export async function readDocumentAttachment(
  attachment: Attachment,
  readers: MediaReaders,
  signal?: AbortSignal,
): Promise<AttachmentReading> {
  const limits = readers.settings.documents ?? DEFAULT_DOCUMENT_LIMITS;
  const { bytes } = await readers.fetch!(attachment, limits.maxBytes, signal);
  // Drawn pages are as large as photos are sent; a model that takes no images gets the refusal.
  const scan = readers.seesImages?.()
    ? { pages: limits.scanPages, sidePx: readers.settings.imageMaxSidePx }
    : undefined;
  const read = await readDocument(bytes, attachment, {
    parse: readers.parseDocument,
    limits,
    slots: readers.settings.ffmpegProcesses?.slots,
    refusalOf: readers.documentRefusal ?? (() => undefined),
    scan,
    signal,
  });
  return { ok: true, kind: 'document', document: { ...read, name: attachment.fileName } };
}

/** A turn with documents or videos: each one's text (a video's line and frames) before the person's words. */
export function withDocuments(
  input: PreparedInput,
  parts: { documents: ReadDocument[]; videos: WatchedVideo[] },
  photos: string[],
): PreparedInput {
  const { documents, videos } = parts;
  const ask =
    documents.length > 0
      ? '(a document, no question: reply with a short summary of it)'
      : '(a video, no question: say briefly what it shows)';
  const question = input.words !== '' ? input.words : ask;
  const scans = documents.flatMap((document) => (document.scans ?? []).map(jpegUrl));
  let nextImage = 1;
  const blocks = documents.map((document) => {
    const block = documentBlock(document, nextImage);
    nextImage += document.scans?.length ?? 0;
    return block;
  });
  const text = [...blocks, ...videos.map(videoBlock), question].join('\n\n');
  const images = [...scans, ...photos, ...videos.flatMap((video) => video.frames)];
  const content: PreparedInput['content'] =
    images.length === 0
      ? text
      : [{ type: 'text', text }, ...images.map((url) => ({ type: 'image_url' as const, image_url: { url } }))];
  const kept = [...documents.map(documentHistory), ...videos.map(videoHistory)];
  return { ...input, content, documents: kept, documentsRead: documents, scans: scans.length };
}

const jpegUrl = (jpeg: Buffer) => `data:image/jpeg;base64,${jpeg.toString('base64')}`;
