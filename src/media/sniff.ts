import { MediaError } from './errors';

/**
 * What a file really is, from its first bytes. The MIME type in a webhook or a response header
 * is a claim; ffmpeg is only ever handed formats we expect, identified here, and is told which
 * one (`demuxerFor`) instead of probing the content itself: a probing ffmpeg follows an HLS
 * playlist or an `ffconcat` list hidden behind an ID3 tag to local files, so playlists and
 * concat lists are refused outright, before and after an ID3 header.
 */
export type SniffedMedia =
  | { kind: 'audio'; format: 'ogg' | 'webm' | 'mp4' | 'aac' | 'amr' | 'mp3' | 'wav' }
  | { kind: 'image'; format: 'jpeg' | 'png' | 'webp' | 'gif' };

export type MediaFormat = SniffedMedia['format'];

/** The ffmpeg demuxer for each format; every one exists in the bundled 2018 build and in ffmpeg ≥ 5. */
const DEMUXERS: Record<MediaFormat, string> = {
  ogg: 'ogg',
  webm: 'matroska',
  mp4: 'mov',
  aac: 'aac',
  amr: 'amr',
  mp3: 'mp3',
  wav: 'wav',
  jpeg: 'jpeg_pipe',
  png: 'png_pipe',
  webp: 'webp_pipe',
  gif: 'gif',
};

export function demuxerFor(format: MediaFormat): string {
  return DEMUXERS[format];
}

const ascii = (bytes: Buffer, offset: number, text: string) =>
  bytes.length >= offset + text.length && bytes.toString('latin1', offset, offset + text.length) === text;

/** ID3v2 tags in front of MP3 or ADTS audio: at most this many are skipped. */
const MAX_ID3_TAGS = 4;

/**
 * Where the content starts after any ID3v2 tags (and the zero padding writers leave after
 * them), or undefined when a tag claims more bytes than the file has.
 */
function skipId3(bytes: Buffer): number | undefined {
  let offset = 0;
  for (let tags = 0; tags < MAX_ID3_TAGS && ascii(bytes, offset, 'ID3'); tags += 1) {
    if (offset + 10 > bytes.length) return undefined;
    // The size is four 7-bit bytes (a "syncsafe" integer); a footer adds 10 bytes.
    let size = 0;
    for (let i = 6; i < 10; i += 1) size = size * 128 + (bytes[offset + i]! & 0x7f);
    const footer = (bytes[offset + 5]! & 0x10) !== 0 ? 10 : 0;
    offset += 10 + size + footer;
    if (offset > bytes.length) return undefined;
  }
  while (offset < bytes.length && bytes[offset] === 0) offset += 1;
  return offset;
}

/** An HLS playlist or an ffconcat list (after an optional UTF-8 byte order mark and blank space). */
export function isPlaylist(bytes: Buffer, offset = 0): boolean {
  let at = offset;
  if (bytes[at] === 0xef && bytes[at + 1] === 0xbb && bytes[at + 2] === 0xbf) at += 3;
  while (at < bytes.length && (bytes[at] === 0x20 || bytes[at] === 0x09 || bytes[at] === 0x0d || bytes[at] === 0x0a))
    at += 1;
  const head = bytes.toString('latin1', at, at + 8).toLowerCase();
  return head.startsWith('#extm3u') || head.startsWith('ffconcat');
}

/** MPEG audio frame sync: 11 set bits. Layer bits 00 = ADTS (AAC), otherwise MP3 (layer I-III). */
function mpegAudio(bytes: Buffer, offset: number): SniffedMedia | undefined {
  if (offset + 2 > bytes.length || bytes[offset] !== 0xff || (bytes[offset + 1]! & 0xe0) !== 0xe0) return undefined;
  const second = bytes[offset + 1]!;
  const layer = (second >> 1) & 0x03;
  if (layer === 0 && (second & 0xf0) === 0xf0) return { kind: 'audio', format: 'aac' };
  if (layer !== 0) return { kind: 'audio', format: 'mp3' };
  return undefined;
}

export function sniffMedia(bytes: Buffer): SniffedMedia | undefined {
  if (bytes.length < 4 || isPlaylist(bytes)) return undefined;
  if (ascii(bytes, 0, 'OggS')) return { kind: 'audio', format: 'ogg' };
  if (bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3)
    return { kind: 'audio', format: 'webm' };
  // MP4/M4A/3GP: Messenger and Instagram voice notes are MP4 with one audio track. A video's
  // audio is not what the user meant, but the message kind (audio vs video) is decided upstream.
  if (ascii(bytes, 4, 'ftyp')) return { kind: 'audio', format: 'mp4' };
  if (ascii(bytes, 0, '#!AMR')) return { kind: 'audio', format: 'amr' };
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WAVE')) return { kind: 'audio', format: 'wav' };
  if (ascii(bytes, 0, 'RIFF') && ascii(bytes, 8, 'WEBP')) return { kind: 'image', format: 'webp' };
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return { kind: 'image', format: 'jpeg' };
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return { kind: 'image', format: 'png' };
  if (ascii(bytes, 0, 'GIF87a') || ascii(bytes, 0, 'GIF89a')) return { kind: 'image', format: 'gif' };
  if (ascii(bytes, 0, 'ID3')) {
    // An ID3 tag says nothing about what follows it: the audio after it must be sniffed too.
    const content = skipId3(bytes);
    if (content === undefined || isPlaylist(bytes, content)) return undefined;
    return mpegAudio(bytes, content);
  }
  return mpegAudio(bytes, 0);
}

/**
 * The sniffed format of an attachment that should be `kind`, or the typed refusal: playlists,
 * concat lists, unknown bytes and the wrong kind are all `unsupported-type`.
 */
export function identifyMedia<K extends SniffedMedia['kind']>(
  bytes: Buffer,
  kind: K,
): Extract<SniffedMedia, { kind: K }> {
  const sniffed = sniffMedia(bytes);
  if (sniffed && sniffed.kind === kind) return sniffed as Extract<SniffedMedia, { kind: K }>;
  const what = sniffed ? sniffed.format : isPlaylist(bytes, skipId3(bytes) ?? 0) ? 'a playlist' : 'unknown bytes';
  throw new MediaError('unsupported-type', `expected ${kind}, got ${what}`);
}
