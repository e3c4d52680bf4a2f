import { MediaError } from './errors';

/**
 * Width and height as an image's own header declares them (PNG IHDR, GIF logical screen, WebP
 * VP8/VP8L/VP8X, JPEG start-of-frame), read before any decoder runs. A decoder allocates what
 * the header declares, so a 1 MB PNG that declares 16000×16000 costs ffmpeg a gigabyte: the
 * pixel cap is checked here, on these numbers, before ffmpeg is started. The only reader of
 * image dimensions in the project; it never throws on malformed bytes (it answers undefined).
 */

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'gif';

export interface ImageSize {
  width: number;
  height: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const latin1 = (bytes: Buffer, offset: number, length: number) =>
  bytes.length >= offset + length ? bytes.toString('latin1', offset, offset + length) : '';

/** The declared size, or undefined when the header is missing, truncated or not `format`. */
export function readImageSize(bytes: Buffer, format: ImageFormat): ImageSize | undefined {
  switch (format) {
    case 'png':
      return pngSize(bytes);
    case 'gif':
      return gifSize(bytes);
    case 'webp':
      return webpSize(bytes);
    case 'jpeg':
      return jpegSize(bytes);
    default:
      return undefined;
  }
}

/**
 * Refuses an image whose header cannot be read or that declares more than `maxPixels` pixels:
 * the typed refusal the photo path needs before handing the bytes to ffmpeg.
 */
export function checkImageSize(bytes: Buffer, format: ImageFormat, maxPixels: number): ImageSize {
  const size = readImageSize(bytes, format);
  if (!size || size.width === 0 || size.height === 0) {
    throw new MediaError('unreadable', `${format} header declares no readable size`);
  }
  if (size.width * size.height > maxPixels) {
    throw new MediaError(
      'too-many-pixels',
      `${format} declares ${size.width}×${size.height}, over the ${maxPixels} pixel cap`,
    );
  }
  return size;
}

function pngSize(bytes: Buffer): ImageSize | undefined {
  // The IHDR chunk must come first: length (4), type (4), width (4), height (4).
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return undefined;
  if (latin1(bytes, 12, 4) !== 'IHDR') return undefined;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

function gifSize(bytes: Buffer): ImageSize | undefined {
  // The decoder's canvas is the logical screen; frames are clipped to it.
  const signature = latin1(bytes, 0, 6);
  if (bytes.length < 10 || (signature !== 'GIF87a' && signature !== 'GIF89a')) return undefined;
  return { width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
}

function webpSize(bytes: Buffer): ImageSize | undefined {
  if (latin1(bytes, 0, 4) !== 'RIFF' || latin1(bytes, 8, 4) !== 'WEBP') return undefined;
  const chunk = latin1(bytes, 12, 4);
  const data = 20;
  if (chunk === 'VP8X') {
    // flags (1), reserved (3), canvas width - 1 (24-bit LE), canvas height - 1 (24-bit LE)
    if (bytes.length < data + 10) return undefined;
    return { width: bytes.readUIntLE(data + 4, 3) + 1, height: bytes.readUIntLE(data + 7, 3) + 1 };
  }
  if (chunk === 'VP8L') {
    // signature 0x2f, then width - 1 and height - 1 as 14-bit fields, little-endian bit order
    if (bytes.length < data + 5 || bytes[data] !== 0x2f) return undefined;
    const bits = bytes.readUInt32LE(data + 1);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8 ') {
    // frame tag (3), key-frame start code 9d 01 2a, then 14-bit width and height (2 scale bits each)
    if (bytes.length < data + 10) return undefined;
    if (bytes[data + 3] !== 0x9d || bytes[data + 4] !== 0x01 || bytes[data + 5] !== 0x2a) return undefined;
    return { width: bytes.readUInt16LE(data + 6) & 0x3fff, height: bytes.readUInt16LE(data + 8) & 0x3fff };
  }
  return undefined;
}

/** SOF0..SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC). */
const isStartOfFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
/** Markers that stand alone, with no length: TEM, RST0-7. */
const isStandalone = (marker: number) => marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);

function jpegSize(bytes: Buffer): ImageSize | undefined {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let offset = 2;
  while (offset + 1 < bytes.length) {
    if (bytes[offset] !== 0xff) return undefined;
    const marker = bytes[offset + 1]!;
    // 0xff fill bytes may pad the space between segments.
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    if (isStandalone(marker)) {
      offset += 2;
      continue;
    }
    // Start of scan or end of image: no frame header came before the image data.
    if (marker === 0xda || marker === 0xd9 || offset + 4 > bytes.length) return undefined;
    const length = bytes.readUInt16BE(offset + 2);
    if (length < 2) return undefined;
    if (isStartOfFrame(marker)) {
      // length (2), precision (1), height (2), width (2)
      if (offset + 9 > bytes.length) return undefined;
      return { height: bytes.readUInt16BE(offset + 5), width: bytes.readUInt16BE(offset + 7) };
    }
    offset += 2 + length;
  }
  return undefined;
}
