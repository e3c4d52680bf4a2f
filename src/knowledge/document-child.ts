/**
 * The separate process that parses one PDF or DOCX (the bytes on stdin, the kind as its argument)
 * and writes what it found to stdout as one JSON line. It runs under a memory ceiling and a kill
 * timer (document-reader.ts), so a hostile file costs this process, never the worker. It imports
 * nothing of ours: only the two parsers.
 *
 * PDF: unpdf, which bundles Mozilla's pdf.js built for servers (no canvas, no worker thread).
 * DOCX: mammoth, which maps Word's heading styles to HTML headings; images are dropped and linked
 * files are never opened.
 */

export type ChildAnswer =
  | { ok: true; kind: 'pdf'; title: string | undefined; pages: string[]; totalPages?: number }
  | { ok: true; kind: 'docx'; html: string; warnings: string[] }
  | { ok: false; error: string; encrypted?: boolean };

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** A page cap (the chat reads the first pages of a document) parses only those pages. */
async function readPdf(bytes: Buffer, maxPages: number | undefined): Promise<ChildAnswer> {
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
  await pdf.destroy();
  const title = typeof info?.Title === 'string' ? info.Title : undefined;
  return { ok: true, kind: 'pdf', title, pages, totalPages };
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
    if (kind === 'pdf') answer = await readPdf(bytes, maxPages);
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
