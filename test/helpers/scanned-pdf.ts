import { deflateSync } from 'node:zlib';
import { createCanvas } from '@napi-rs/canvas';
import { assemblePdf } from './knowledge-files';

/**
 * A scanned PDF as a phone's scanner app writes one: each page is a single JPEG image
 * (a DCTDecode image XObject drawn over the whole page) and there is no text layer at all. The
 * JPEG is drawn here with @napi-rs/canvas: a white sheet with dark bars where lines of print
 * would be (fonts differ between machines; bars do not), the page number told by how many bars
 * there are, so a test can tell rendered pages apart.
 */

const PAGE_PX = { width: 850, height: 1100 };

function pageScan(page: number): Buffer {
  const canvas = createCanvas(PAGE_PX.width, PAGE_PX.height);
  const context = canvas.getContext('2d');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, PAGE_PX.width, PAGE_PX.height);
  context.fillStyle = '#111111';
  for (let line = 0; line < page + 2; line += 1) context.fillRect(90, 120 + line * 60, 670, 24);
  return canvas.toBuffer('image/jpeg', 80);
}

/** An image-only PDF of `pages` US Letter pages. */
export function scannedPdf(pages: number): Buffer {
  const objects: Buffer[] = [Buffer.from(''), Buffer.from('')];
  const kids: number[] = [];
  for (let page = 1; page <= pages; page += 1) {
    const jpeg = pageScan(page);
    objects.push(
      Buffer.concat([
        Buffer.from(
          `<< /Type /XObject /Subtype /Image /Width ${PAGE_PX.width} /Height ${PAGE_PX.height} ` +
            `/ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${jpeg.length} >>\nstream\n`,
        ),
        jpeg,
        Buffer.from('\nendstream'),
      ]),
    );
    const image = objects.length;
    const draw = 'q 612 0 0 792 0 0 cm /Im1 Do Q';
    objects.push(Buffer.from(`<< /Length ${draw.length} >>\nstream\n${draw}\nendstream`));
    const content = objects.length;
    objects.push(
      Buffer.from(
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] ` +
          `/Resources << /XObject << /Im1 ${image} 0 R >> >> /Contents ${content} 0 R >>`,
      ),
    );
    kids.push(objects.length);
  }
  objects[0] = Buffer.from('<< /Type /Catalog /Pages 2 0 R >>');
  objects[1] = Buffer.from(`<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`);
  return assemblePdf(objects);
}

/**
 * A scan that is a bomb: one page, no text, its image a grey `side`×`side` Flate stream of zeros
 * (a few hundred KB that pdf.js and the canvas must hold decoded, `side`² bytes and more).
 */
export function scannedBomb(side: number): Buffer {
  const packed = deflateSync(Buffer.alloc(side * side, 0), { level: 9 });
  const draw = 'q 612 0 0 792 0 0 cm /Im1 Do Q';
  return assemblePdf([
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'),
    Buffer.from('<< /Type /Pages /Kids [5 0 R] /Count 1 >>'),
    Buffer.concat([
      Buffer.from(
        `<< /Type /XObject /Subtype /Image /Width ${side} /Height ${side} /ColorSpace /DeviceGray ` +
          `/BitsPerComponent 8 /Filter /FlateDecode /Length ${packed.length} >>\nstream\n`,
      ),
      packed,
      Buffer.from('\nendstream'),
    ]),
    Buffer.from(`<< /Length ${draw.length} >>\nstream\n${draw}\nendstream`),
    Buffer.from(
      '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /XObject << /Im1 3 0 R >> >> /Contents 4 0 R >>',
    ),
  ]);
}
