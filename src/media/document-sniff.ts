import { MediaError } from './errors';

/**
 * What a document really is, from its bytes, and the checks that refuse a hostile one before any
 * parser sees it. The file name and MIME type are claims; they only decide between the plain-text
 * kinds (a CSV and a text file look alike). A DOCX is a ZIP: its central directory is read here
 * (no byte is inflated) and a file whose parts claim to inflate far past the download cap, or
 * far past what such parts compress to, is refused as a bomb; the parser in its child process
 * still runs under a memory ceiling for the bomb that lies about its sizes. A PDF that names
 * JavaScript is refused: nothing of ours would run it, but such a file is written to attack
 * readers, and the person can send a plain copy.
 */

export type DocumentFormat = 'pdf' | 'docx' | 'text' | 'csv';

/** The most a DOCX's parts may claim to inflate to, and the largest ratio one part may claim. */
export const MAX_DOCX_INFLATED_BYTES = 64 * 1024 * 1024;
export const MAX_DOCX_RATIO = 200;
/** Entries in a DOCX's central directory read at most (a real one has a few dozen). */
const MAX_ZIP_ENTRIES = 2000;

const ascii = (bytes: Buffer, offset: number, text: string) =>
  bytes.length >= offset + text.length && bytes.toString('latin1', offset, offset + text.length) === text;

const ZIP_LOCAL = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const COMPOUND_FILE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ENCRYPTED_PACKAGE = Buffer.from('EncryptedPackage', 'utf16le');

export function identifyDocument(bytes: Buffer, claim: { fileName?: string; mimeType?: string }): DocumentFormat {
  if (ascii(bytes, 0, '%PDF-')) {
    refuseScriptedPdf(bytes);
    return 'pdf';
  }
  if (bytes.subarray(0, 4).equals(ZIP_LOCAL)) {
    const names = inspectZip(bytes);
    if (!names.includes('word/document.xml'))
      throw new MediaError('unsupported-type', 'a ZIP that is not a Word document');
    return 'docx';
  }
  if (bytes.subarray(0, 8).equals(COMPOUND_FILE)) {
    // A password-protected Word file is an OLE compound file holding an `EncryptedPackage` stream.
    if (bytes.includes(ENCRYPTED_PACKAGE)) throw new MediaError('document-encrypted', 'an encrypted Office file');
    throw new MediaError('unsupported-type', 'an OLE compound file (an old .doc, .xls or .ppt)');
  }
  if (looksLikeText(bytes)) return isCsvClaim(claim) ? 'csv' : 'text';
  throw new MediaError('unsupported-type', 'not a PDF, DOCX, text or CSV file');
}

function isCsvClaim(claim: { fileName?: string; mimeType?: string }): boolean {
  return /\.csv$/i.test(claim.fileName ?? '') || /^text\/(csv|comma-separated-values)/i.test(claim.mimeType ?? '');
}

/** UTF-8 (or ASCII) with no NUL bytes and few control characters in its first 64 KB. */
export function looksLikeText(bytes: Buffer): boolean {
  if (bytes.length === 0) return false;
  const head = bytes.subarray(0, 64 * 1024);
  let control = 0;
  for (const byte of head) {
    if (byte === 0) return false;
    if (byte < 0x09 || (byte > 0x0d && byte < 0x20)) control += 1;
  }
  if (control > head.length / 100) return false;
  // A cut in the middle of a character at the 64 KB edge is not a reason to refuse.
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head);
  const replaced = (text.match(/\uFFFD/g) ?? []).length;
  return replaced <= 2;
}

/** `/JavaScript` or `/JS` as a PDF name (followed by a delimiter), anywhere in the file. */
const PDF_SCRIPT = /\/(?:JavaScript|JS)(?=[\s/<>[\]()])/;

function refuseScriptedPdf(bytes: Buffer): void {
  if (PDF_SCRIPT.test(bytes.toString('latin1')))
    throw new MediaError('document-scripts', 'the PDF names JavaScript actions');
}

/**
 * The names in a ZIP's central directory, refusing archives whose entries claim more inflated
 * bytes in total than MAX_DOCX_INFLATED_BYTES or a ratio past MAX_DOCX_RATIO (a zip bomb), and
 * archives whose directory cannot be found or read (not a DOCX we open).
 */
export function inspectZip(bytes: Buffer): string[] {
  const end = endOfCentralDirectory(bytes);
  if (end === undefined) throw new MediaError('unreadable', 'ZIP without an end of central directory');
  const count = bytes.readUInt16LE(end + 10);
  let offset = bytes.readUInt32LE(end + 16);
  if (count > MAX_ZIP_ENTRIES) throw new MediaError('document-bomb', `ZIP with ${count} entries`);
  const names: string[] = [];
  let inflated = 0;
  for (let i = 0; i < count; i += 1) {
    if (offset + 46 > bytes.length || bytes.readUInt32LE(offset) !== 0x02014b50)
      throw new MediaError('unreadable', 'ZIP central directory is cut short');
    const compressed = bytes.readUInt32LE(offset + 20);
    const size = bytes.readUInt32LE(offset + 24);
    const nameLength = bytes.readUInt16LE(offset + 28);
    const extra = bytes.readUInt16LE(offset + 30) + bytes.readUInt16LE(offset + 32);
    // ZIP64 markers: sizes past 4 GB, which no Word document of ours needs.
    if (size === 0xffffffff || compressed === 0xffffffff)
      throw new MediaError('document-bomb', 'ZIP64 entry sizes in a document');
    if (size > 1024 * 1024 && size / Math.max(1, compressed) > MAX_DOCX_RATIO)
      throw new MediaError('document-bomb', `a ZIP entry inflates ${Math.round(size / Math.max(1, compressed))}×`);
    inflated += size;
    names.push(bytes.toString('utf8', offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extra;
  }
  if (inflated > MAX_DOCX_INFLATED_BYTES)
    throw new MediaError('document-bomb', `ZIP entries inflate to ${inflated} bytes in total`);
  return names;
}

/** The end-of-central-directory record: within the last 64 KB + 22 bytes (its comment is at most 64 KB). */
function endOfCentralDirectory(bytes: Buffer): number | undefined {
  const earliest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let at = bytes.length - 22; at >= earliest; at -= 1) {
    if (bytes.readUInt32LE(at) === 0x06054b50) return at;
  }
  return undefined;
}
