import type { Attachment } from '../core/inbound';
import { DEFAULT_DOCUMENT_LIMITS, readDocument, type DocumentText } from './document';
import type { AttachmentReading, MediaReaders, PreparedInput } from './prepare-input';
import { videoBlock, videoHistory, type WatchedVideo } from './video-input';

/**
 * How a document joins the person's turn: its text between marks the model can tell from the
 * person's own words (like a voice note's transcript), and what the history keeps of it, the
 * name and the start of the text, so a follow-up question a turn later still knows what it was,
 * while the history's character budget is not spent on one file. The bytes are never kept.
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

export function documentBlock(document: ReadDocument): string {
  const cut = document.pagesRead
    ? ` (the first ${document.pagesRead} pages only)`
    : document.charsKept
      ? ' (its beginning only)'
      : '';
  return `[document: ${label(document)}]${cut}\n${document.text}\n[end of document]`;
}

export function documentHistory(document: ReadDocument): string {
  const text = document.text.replace(/\s+/g, ' ');
  const excerpt = text.length > DOCUMENT_HISTORY_CHARS ? `${text.slice(0, DOCUMENT_HISTORY_CHARS)}…` : text;
  return `[document: ${label(document)}] ${excerpt}`;
}

/** Downloads (up to DOCUMENT_MAX_BYTES) and reads one document. */
export async function readDocumentAttachment(
  attachment: Attachment,
  readers: MediaReaders,
  signal?: AbortSignal,
): Promise<AttachmentReading> {
  const limits = readers.settings.documents ?? DEFAULT_DOCUMENT_LIMITS;
  const { bytes } = await readers.fetch!(attachment, limits.maxBytes, signal);
  const read = await readDocument(bytes, attachment, {
    parse: readers.parseDocument,
    limits,
    slots: readers.settings.ffmpegProcesses?.slots,
    refusalOf: readers.documentRefusal ?? (() => undefined),
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
  const text = [...documents.map(documentBlock), ...videos.map(videoBlock), question].join('\n\n');
  const images = [...photos, ...videos.flatMap((video) => video.frames)];
  const content: PreparedInput['content'] =
    images.length === 0
      ? text
      : [{ type: 'text', text }, ...images.map((url) => ({ type: 'image_url' as const, image_url: { url } }))];
  const kept = [...documents.map(documentHistory), ...videos.map(videoHistory)];
  return { ...input, content, documents: kept, documentsRead: documents };
}
