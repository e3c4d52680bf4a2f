import type { Attachment } from '../core/inbound';
import { MediaError } from './errors';
import type { AttachmentReading, MediaReaders } from './prepare-input';
import { readVideo } from './video';

/**
 * How a video joins the person's turn: its frames as images beside a line that says how long it
 * is and what its sound said (transcribed like a voice note), before the person's words; the
 * history keeps that line, never a frame. A video whose sound cannot be transcribed (no
 * speech-to-text, or it failed) is still watched: the line says the sound was not heard.
 */

export interface WatchedVideo {
  /** frames as `data:` URLs, in order */
  frames: string[];
  seconds: number;
  /** what its sound said; '' when nothing was heard; undefined when it was not listened to */
  transcript: string | undefined;
}

export const DEFAULT_VIDEO_LIMITS = { maxSeconds: 120, maxBytes: 16 * 1024 * 1024, frames: 4 };

export async function readVideoAttachment(
  attachment: Attachment,
  readers: MediaReaders,
  signal?: AbortSignal,
): Promise<AttachmentReading> {
  const { settings } = readers;
  const limits = settings.video ?? DEFAULT_VIDEO_LIMITS;
  const { bytes } = await readers.fetch!(attachment, limits.maxBytes, signal);
  const video = await readVideo(bytes, {
    ffmpegPath: settings.ffmpegPath,
    maxSeconds: limits.maxSeconds,
    frames: limits.frames,
    timeoutMs: settings.transcodeTimeoutMs,
    signal,
    processes: settings.ffmpegProcesses,
  });
  const transcript = video.wav ? await listen(video.wav, readers, signal) : '';
  const frames = video.frames.map((jpeg) => `data:image/jpeg;base64,${jpeg.toString('base64')}`);
  return { ok: true, kind: 'video', video: { frames, seconds: video.seconds, transcript } };
}

async function listen(wav: Buffer, readers: MediaReaders, signal?: AbortSignal): Promise<string | undefined> {
  if (!readers.stt) return undefined;
  try {
    return await readers.stt.transcribe({ audio: wav, fileName: 'video-sound.wav', mimeType: 'audio/wav', signal });
  } catch (error) {
    if (signal?.aborted) throw new MediaError('unreadable', 'video aborted', true, { cause: error });
    return undefined;
  }
}

const sound = (video: WatchedVideo) =>
  video.transcript === undefined
    ? 'its sound could not be transcribed'
    : video.transcript.trim() === ''
      ? 'no words heard'
      : `its sound said: "${video.transcript.trim()}"`;

/** The line the model reads beside the frames. */
export function videoBlock(video: WatchedVideo): string {
  return `[video: about ${video.seconds} s, ${video.frames.length} frames shown; ${sound(video)}]`;
}

/** What the history keeps of a video: its length and what its sound said. */
export function videoHistory(video: WatchedVideo): string {
  return `[video: about ${video.seconds} s; ${sound(video)}]`;
}
