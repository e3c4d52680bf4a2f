import { z } from 'zod';
import { positiveInt } from './env-values';

/**
 * What people send beside text, voice notes and photos (docs/what-people-send.md): the caps on
 * documents and videos. Spread into the one environment schema; the voice-note and photo
 * variables stay in env.ts.
 */
export const mediaKindsEnvShape = {
  /** largest document downloaded; its download stops at this size */
  DOCUMENT_MAX_BYTES: positiveInt(10 * 1024 * 1024),
  /** a PDF's first pages read; the person is told when a document had more */
  DOCUMENT_MAX_PAGES: positiveInt(20),
  /** characters of a document's text the model reads; the person is told when it had more */
  DOCUMENT_MAX_CHARS: positiveInt(30_000),
  /** the PDF/DOCX reader's child process is killed after this long */
  DOCUMENT_TIMEOUT_MS: positiveInt(20_000),
  /** the reader's memory ceiling; below 128 MB Node itself does not start */
  DOCUMENT_MAX_MEMORY_MB: z.coerce.number().int().min(128).default(256),
  /** a PDF with no text layer (a scan): its first pages rendered as images for the model; 0: refused */
  DOCUMENT_SCAN_PAGES: z.coerce.number().int().min(0).max(10).default(3),
  /** longest video watched (its sound transcribed, a few frames looked at) */
  VIDEO_MAX_SECONDS: positiveInt(120),
  /** largest video downloaded (WhatsApp delivers at most 16 MB) */
  MEDIA_MAX_VIDEO_BYTES: positiveInt(16 * 1024 * 1024),
  /** frames of a video shown to the model, spread over its length */
  VIDEO_FRAMES: z.coerce.number().int().min(1).max(8).default(4),
};

type MediaKindsEnv = { [K in keyof typeof mediaKindsEnvShape]: z.infer<(typeof mediaKindsEnvShape)[K]> };

export interface DocumentSettings {
  maxBytes: number;
  maxPages: number;
  maxChars: number;
  timeoutMs: number;
  maxMemoryMb: number;
  scanPages: number;
}

export interface VideoSettings {
  maxSeconds: number;
  maxBytes: number;
  frames: number;
}

export function documentSettings(env: MediaKindsEnv): DocumentSettings {
  return {
    maxBytes: env.DOCUMENT_MAX_BYTES,
    maxPages: env.DOCUMENT_MAX_PAGES,
    maxChars: env.DOCUMENT_MAX_CHARS,
    timeoutMs: env.DOCUMENT_TIMEOUT_MS,
    maxMemoryMb: env.DOCUMENT_MAX_MEMORY_MB,
    scanPages: env.DOCUMENT_SCAN_PAGES,
  };
}

export function videoSettings(env: MediaKindsEnv): VideoSettings {
  return { maxSeconds: env.VIDEO_MAX_SECONDS, maxBytes: env.MEDIA_MAX_VIDEO_BYTES, frames: env.VIDEO_FRAMES };
}
