/**
 * What a file really is, from its first bytes. The MIME type in a webhook or a response header
 * is a claim; ffmpeg is only ever handed formats we expect, identified here.
 */
export type SniffedMedia =
  | { kind: 'audio'; format: 'ogg' | 'webm' | 'mp4' | 'aac' | 'amr' | 'mp3' | 'wav' }
  | { kind: 'image'; format: 'jpeg' | 'png' | 'webp' | 'gif' };

const ascii = (bytes: Buffer, offset: number, text: string) =>
  bytes.length >= offset + text.length && bytes.toString('latin1', offset, offset + text.length) === text;

export function sniffMedia(bytes: Buffer): SniffedMedia | undefined {
  if (bytes.length < 4) return undefined;
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
  if (ascii(bytes, 0, 'ID3')) return { kind: 'audio', format: 'mp3' };
  // MPEG audio frame sync: 11 set bits. Layer bits 00 = ADTS (AAC), otherwise MP3 (layer I-III).
  if (bytes[0] === 0xff && (bytes[1]! & 0xe0) === 0xe0) {
    const layer = (bytes[1]! >> 1) & 0x03;
    if (layer === 0 && (bytes[1]! & 0xf0) === 0xf0) return { kind: 'audio', format: 'aac' };
    if (layer !== 0) return { kind: 'audio', format: 'mp3' };
  }
  return undefined;
}
