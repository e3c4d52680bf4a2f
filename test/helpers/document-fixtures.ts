import { crc32, deflateRawSync } from 'node:zlib';
import { makePdf } from './knowledge-files';

/**
 * Documents for tests, written byte by byte: a ZIP writer (enough for a DOCX mammoth reads), a
 * DOCX, a zip bomb, a PDF that needs a password and one that names JavaScript. Nothing committed.
 */

interface ZipEntry {
  name: string;
  data: Buffer;
  /** what the central directory claims the entry inflates to (a lying bomb); default: the truth */
  claimedSize?: number;
}

export function makeZip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const packed = deflateRawSync(entry.data, { level: 9 });
    const name = Buffer.from(entry.name, 'utf8');
    const crc = crc32(entry.data);
    const size = entry.claimedSize ?? entry.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, packed);
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE(20, 4);
    record.writeUInt16LE(20, 6);
    record.writeUInt16LE(8, 10);
    record.writeUInt32LE(crc, 16);
    record.writeUInt32LE(packed.length, 20);
    record.writeUInt32LE(size, 24);
    record.writeUInt16LE(name.length, 28);
    record.writeUInt32LE(offset, 42);
    central.push(record, name);
    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
const RELS =
  '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>';

function documentXml(paragraphs: string[], padding = 0): string {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const body = paragraphs.map((p) => `<w:p><w:r><w:t>${escape(p)}</w:t></w:r></w:p>`).join('');
  return (
    '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
    `<w:body>${body}${' '.repeat(padding)}</w:body></w:document>`
  );
}

export function makeDocx(paragraphs: string[]): Buffer {
  return makeZip([
    { name: '[Content_Types].xml', data: Buffer.from(CONTENT_TYPES) },
    { name: '_rels/.rels', data: Buffer.from(RELS) },
    { name: 'word/document.xml', data: Buffer.from(documentXml(paragraphs)) },
  ]);
}

/** A DOCX whose document part inflates to `bytes` of blank space from a few hundred KB. */
export function docxBomb(bytes: number): Buffer {
  return makeZip([
    { name: '[Content_Types].xml', data: Buffer.from(CONTENT_TYPES) },
    { name: '_rels/.rels', data: Buffer.from(RELS) },
    { name: 'word/document.xml', data: Buffer.from(documentXml(['boom'], bytes)) },
  ]);
}

/** A PDF whose trailer names Standard encryption with a user password it does not give. */
export function encryptedPdf(): Buffer {
  const pdf = makePdf(['Secret figures']).toString('latin1');
  const hex = (n: number) => 'ab'.repeat(n);
  const encrypt = `/Encrypt << /Filter /Standard /V 1 /R 2 /O <${hex(32)}> /U <${hex(32)}> /P -4 >> /ID [<${hex(16)}> <${hex(16)}>]`;
  return Buffer.from(pdf.replace('/Root 1 0 R', `/Root 1 0 R ${encrypt}`), 'latin1');
}

/** A PDF that opens with a JavaScript action. */
export function scriptedPdf(): Buffer {
  const pdf = makePdf(['Invoice']).toString('latin1');
  const action = '/OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>';
  return Buffer.from(pdf.replace('/Type /Catalog', `/Type /Catalog ${action}`), 'latin1');
}

/** The start of a password-protected DOCX as Word writes it: an OLE compound file with an `EncryptedPackage` stream. */
export function encryptedDocx(): Buffer {
  const header = Buffer.alloc(512);
  Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(header);
  const entry = Buffer.alloc(128);
  Buffer.from('EncryptedPackage', 'utf16le').copy(entry);
  return Buffer.concat([header, entry, Buffer.alloc(4096, 0x5a)]);
}
