/**
 * The first frame of an animated WebP as a still WebP. WhatsApp's animated stickers are animated
 * WebP, which no ffmpeg we run decodes (its WebP decoder reads stills only); the first frame is
 * what the sticker looks like at rest, and it is only re-wrapped here (its VP8 or VP8L bitstream,
 * and any alpha plane, are copied as they are), never decoded. Undefined for anything else.
 */

const chunkHeader = (fourcc: string, size: number) => {
  const header = Buffer.alloc(8);
  header.write(fourcc, 0, 'latin1');
  header.writeUInt32LE(size, 4);
  return header;
};

const padded = (size: number) => size + (size & 1);

interface Chunk {
  fourcc: string;
  data: Buffer;
}

/** The chunks between `start` and `end`, stopping at the first that runs past the end. */
function chunksIn(bytes: Buffer, start: number, end: number): Chunk[] {
  const chunks: Chunk[] = [];
  for (let at = start; at + 8 <= end;) {
    const size = bytes.readUInt32LE(at + 4);
    if (at + 8 + size > end) break;
    chunks.push({ fourcc: bytes.toString('latin1', at, at + 4), data: bytes.subarray(at + 8, at + 8 + size) });
    at += 8 + padded(size);
  }
  return chunks;
}

function riff(chunks: Chunk[]): Buffer {
  const body = chunks.flatMap((c) => [
    chunkHeader(c.fourcc, c.data.length),
    c.data,
    ...(c.data.length & 1 ? [Buffer.alloc(1)] : []),
  ]);
  const size = 4 + body.reduce((sum, part) => sum + part.length, 0);
  return Buffer.concat([chunkHeader('RIFF', size), Buffer.from('WEBP', 'latin1'), ...body]);
}

export function firstWebpFrame(bytes: Buffer): Buffer | undefined {
  if (bytes.length < 30 || bytes.toString('latin1', 0, 4) !== 'RIFF' || bytes.toString('latin1', 8, 16) !== 'WEBPVP8X')
    return undefined;
  const top = chunksIn(bytes, 12, bytes.length);
  const frame = top.find((c) => c.fourcc === 'ANMF' && c.data.length > 16);
  if (!frame) return undefined;
  // ANMF: x, y (3 bytes each), width-1, height-1 (3 bytes each), duration (3), flags (1), then the frame's chunks.
  const width = frame.data.readUIntLE(6, 3) + 1;
  const height = frame.data.readUIntLE(9, 3) + 1;
  const inner = chunksIn(frame.data, 16, frame.data.length);
  const image = inner.find((c) => c.fourcc === 'VP8 ' || c.fourcc === 'VP8L');
  if (!image) return undefined;
  const alpha = inner.find((c) => c.fourcc === 'ALPH');
  if (!alpha || image.fourcc === 'VP8L') return riff([image]);
  const header = Buffer.alloc(10);
  header[0] = 0x10; // alpha
  header.writeUIntLE(width - 1, 4, 3);
  header.writeUIntLE(height - 1, 7, 3);
  return riff([{ fourcc: 'VP8X', data: header }, alpha, image]);
}
