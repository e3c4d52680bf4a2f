/**
 * The separate process that parses one PDF or DOCX (the bytes on stdin, the kind as its argument)
 * and writes what it found to stdout as one JSON line. It runs under a memory ceiling and a kill
 * timer (document-reader.ts), so a hostile file costs this process, never the worker. It imports
 * nothing of ours: only the two parsers and, for a scan, the canvas.
 *
 * PDF: unpdf, which bundles Mozilla's pdf.js built for servers (no worker thread). A PDF whose
 * pages read have no text at all (a scan) may have its first pages drawn as JPEGs for a vision
 * model: pdf.js draws them on @napi-rs/canvas (Skia, a prebuilt binary), loaded only then, under
 * the same memory ceiling and kill timer as the parse, the longest side at most the size asked.
 * DOCX: mammoth, which maps Word's heading styles to HTML headings; images are dropped and linked
 * files are never opened.
 */

import type { getDocumentProxy } from 'unpdf';

type PdfDocument = Awaited<ReturnType<typeof getDocumentProxy>>;

export type ChildAnswer =
  | { ok: true; kind: 'pdf'; title: string | undefined; pages: string[]; totalPages?: number; scans?: string[] }
  | { ok: true; kind: 'docx'; html: string; warnings: string[] }
  | { ok: false; error: string; encrypted?: boolean };

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Pages drawn when the text is empty, and the longest side of each in pixels (0 pages: none drawn). */
export interface ScanRequest {
  pages: number;
  sidePx: number;
}

/** JPEG quality of a drawn page: print stays sharp, a page weighs tens of KB. */
const SCAN_JPEG_QUALITY = 80;

/** The first `scan.pages` pages as JPEGs (base64), scaled so the longest side is `scan.sidePx`. */
async function drawPages(pdf: PdfDocument, scan: ScanRequest): Promise<string[]> {
  const { createIsomorphicCanvasFactory } = await import('unpdf');
  // pdf.js draws with DOMMatrix and Path2D: the factory puts the canvas library's on globalThis.
  await createIsomorphicCanvasFactory(() => import('@napi-rs/canvas'));
  const { createCanvas } = await import('@napi-rs/canvas');
  const scans: string[] = [];
  for (let number = 1; number <= Math.min(scan.pages, pdf.numPages); number += 1) {
    const page = await pdf.getPage(number);
    const natural = page.getViewport({ scale: 1 });
    const viewport = page.getViewport({ scale: scan.sidePx / Math.max(natural.width, natural.height, 1) });
    const canvas = createCanvas(Math.max(1, Math.round(viewport.width)), Math.max(1, Math.round(viewport.height)));
    try {
      await page.render({ canvas, canvasContext: canvas.getContext('2d'), viewport }).promise;
      scans.push((await canvas.encode('jpeg', SCAN_JPEG_QUALITY)).toString('base64'));
    } finally {
      page.cleanup();
    }
  }
  return scans;
}

/** A page cap (the chat reads the first pages of a document) parses only those pages. */
async function readPdf(bytes: Buffer, maxPages: number | undefined, scan: ScanRequest): Promise<ChildAnswer> {
  // Each parser is loaded only for its own kind: loading both cost a PDF's reading ~150 ms.
  const { extractText, getDocumentProxy } = await import('unpdf');
  const pdf = await getDocumentProxy(new Uint8Array(bytes), { isEvalSupported: false });
  const metadata = await pdf.getMetadata().catch(() => undefined);
  const info: { Title?: unknown } | undefined = metadata?.info;
  const pages = maxPages === undefined ? (await extractText(pdf, { mergePages: false })).text : [];
  for (let number = 1; maxPages !== undefined && number <= Math.min(maxPages, pdf.numPages); number += 1) {
    const content = await (await pdf.getPage(number)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join(''));
  }
  const totalPages = pdf.numPages;
  const scanned = scan.pages > 0 && pages.every((page) => page.trim() === '');
  const scans = scanned ? await drawPages(pdf, scan) : undefined;
  await pdf.destroy();
  const title = typeof info?.Title === 'string' ? info.Title : undefined;
  return { ok: true, kind: 'pdf', title, pages, totalPages, ...(scans ? { scans } : {}) };
}

async function readDocx(bytes: Buffer): Promise<ChildAnswer> {
  const { default: mammoth } = await import('mammoth');
  const result = await mammoth.convertToHtml(
    { buffer: bytes },
    {
      styleMap: ["p[style-name='Title'] => h1:fresh", "p[style-name='Subtitle'] => h2:fresh"],
      convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })),
      externalFileAccess: false,
    },
  );
  return { ok: true, kind: 'docx', html: result.value, warnings: result.messages.map((m) => m.message) };
}

async function main(): Promise<void> {
  const kind = process.argv[2];
  let answer: ChildAnswer;
  try {
    const bytes = await readStdin();
    const maxPages = Number(process.argv[3]) || undefined;
    const scan = { pages: Number(process.argv[4]) || 0, sidePx: Number(process.argv[5]) || 1568 };
    if (kind === 'pdf') answer = await readPdf(bytes, maxPages, scan);
    else if (kind === 'docx') answer = await readDocx(bytes);
    else answer = { ok: false, error: `unknown kind ${kind ?? '(none)'}` };
  } catch (error) {
    // pdf.js names a file it cannot open without a password PasswordException.
    const encrypted = error instanceof Error && error.name === 'PasswordException';
    answer = { ok: false, error: error instanceof Error ? error.message : String(error), encrypted };
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}

void main();
