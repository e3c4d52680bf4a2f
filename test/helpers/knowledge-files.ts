import { deflateSync } from 'node:zlib';

/**
 * Small PDFs written byte by byte, so tests need no PDF library: one page per string (each line
 * drawn as its own text line), or a "bomb" whose single page is a Flate stream that inflates to
 * `bombBytes` of blanks (pdf.js keeps the whole decoded stream in memory).
 */

function escapePdfText(text: string): string {
  return text.replace(/[()\\]/g, (c) => `\\${c}`);
}

function pageContent(text: string): Buffer {
  const lines = text
    .split('\n')
    .map((line, i) => `BT /F1 12 Tf 72 ${720 - i * 16} Td (${escapePdfText(line)}) Tj ET`)
    .join('\n');
  return Buffer.concat([Buffer.from(`<< /Length ${Buffer.byteLength(lines)} >>\nstream\n${lines}\nendstream`)]);
}

function bombContent(bytes: number): Buffer {
  const packed = deflateSync(Buffer.alloc(bytes, 0x20), { level: 9 });
  return Buffer.concat([
    Buffer.from(`<< /Length ${packed.length} /Filter /FlateDecode >>\nstream\n`),
    packed,
    Buffer.from('\nendstream'),
  ]);
}

export function makePdf(pages: string[], options: { title?: string; bombBytes?: number } = {}): Buffer {
  const objects: Buffer[] = [];
  const add = (body: Buffer | string) => objects.push(Buffer.isBuffer(body) ? body : Buffer.from(body));
  add(''); // catalog, filled in below
  add(''); // page tree
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  add(options.title ? `<< /Title (${escapePdfText(options.title)}) >>` : '<< >>');
  const kids: number[] = [];
  for (const text of pages) {
    add(options.bombBytes ? bombContent(options.bombBytes) : pageContent(text));
    const content = objects.length;
    add(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${content} 0 R >>`,
    );
    kids.push(objects.length);
  }
  objects[0] = Buffer.from('<< /Type /Catalog /Pages 2 0 R >>');
  objects[1] = Buffer.from(`<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`);
  return assemblePdf(objects, '/Info 4 0 R');
}

/** Numbered objects (the first one the catalog) as a PDF file with its cross-reference table. */
export function assemblePdf(objects: Buffer[], trailerExtra = ''): Buffer {
  const parts = [Buffer.from('%PDF-1.4\n')];
  const offsets: number[] = [];
  let length = parts[0]!.length;
  objects.forEach((body, i) => {
    offsets.push(length);
    const object = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), body, Buffer.from('\nendobj\n')]);
    parts.push(object);
    length += object.length;
  });
  const xref = [
    'xref',
    `0 ${objects.length + 1}`,
    '0000000000 65535 f ',
    ...offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n `),
    'trailer',
    `<< /Size ${objects.length + 1} /Root 1 0 R ${trailerExtra ? `${trailerExtra} ` : ''}>>`,
    'startxref',
    String(length),
    '%%EOF',
    '',
  ].join('\n');
  parts.push(Buffer.from(xref));
  return Buffer.concat(parts);
}
