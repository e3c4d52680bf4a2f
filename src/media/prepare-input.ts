import type { Attachment, InboundMessage } from '../core/inbound';
import type { ChatContentPart } from '../inference/chat-model';
import {
  SpeechToTextRejectedError,
  SpeechToTextUnavailableError,
  type SpeechToText,
} from '../inference/speech-to-text';
import { transcodeForSpeech } from './audio';
import type { DownloadedMedia } from './download';
import { MediaError } from './errors';
import { normaliseImage } from './image';
import { sniffMedia } from './sniff';

/**
 * Turns a message's voice notes and photos into what the model reads: a voice note becomes its
 * transcript (marked "[voice note]" so the model, and the history, know it was spoken); a photo
 * becomes an `image_url` part with a `data:` URL next to the caption. History keeps text only:
 * the transcript, and "[photo]" in place of the image bytes.
 */

export interface MediaSettings {
  ffmpegPath: string;
  maxAudioBytes: number;
  maxImageBytes: number;
  voiceNoteMaxSeconds: number;
  transcodeTimeoutMs: number;
  imageMaxSidePx: number;
  imageMaxOutputBytes: number;
}

export interface MediaReaders {
  /** the platform's download for this attachment (undefined: the platform cannot fetch media) */
  fetch: ((attachment: Attachment, maxBytes: number, signal?: AbortSignal) => Promise<DownloadedMedia>) | undefined;
  stt: SpeechToText | null;
  settings: MediaSettings;
}

/** What the model gets as the user's turn, and what the history keeps of it. */
export interface PreparedInput {
  content: string | ChatContentPart[];
  historyText: string;
}

export type AttachmentReading =
  | { ok: true; kind: 'audio'; transcript: string }
  | { ok: true; kind: 'image'; dataUrl: string }
  | { ok: false; kind: Attachment['kind']; error: unknown };

export const VOICE_NOTE_MARK = '[voice note]';
export const PHOTO_MARK = '[photo]';

/** Never rejects: failures are values, so readings can be started early and awaited later. */
export async function readAttachment(
  attachment: Attachment,
  readers: MediaReaders,
  signal?: AbortSignal,
): Promise<AttachmentReading> {
  try {
    if (!readers.fetch) throw new MediaError('unsupported-type', 'this platform cannot fetch media');
    const { settings } = readers;
    const maxBytes = attachment.kind === 'audio' ? settings.maxAudioBytes : settings.maxImageBytes;
    const { bytes } = await readers.fetch(attachment, maxBytes, signal);
    const sniffed = sniffMedia(bytes);
    if (!sniffed || sniffed.kind !== attachment.kind) {
      throw new MediaError(
        'unsupported-type',
        `expected ${attachment.kind}, got ${sniffed ? sniffed.format : 'unknown bytes'}`,
      );
    }
    if (attachment.kind === 'audio') {
      return { ok: true, kind: 'audio', transcript: await transcribe(bytes, readers, signal) };
    }
    const image = await normaliseImage(bytes, {
      ffmpegPath: settings.ffmpegPath,
      maxSidePx: settings.imageMaxSidePx,
      maxOutputBytes: settings.imageMaxOutputBytes,
      timeoutMs: settings.transcodeTimeoutMs,
      signal,
    });
    return { ok: true, kind: 'image', dataUrl: `data:${image.mimeType};base64,${image.bytes.toString('base64')}` };
  } catch (error) {
    return { ok: false, kind: attachment.kind, error };
  }
}

async function transcribe(bytes: Buffer, readers: MediaReaders, signal?: AbortSignal): Promise<string> {
  const { settings } = readers;
  if (!readers.stt) throw new MediaError('stt-failed', 'no speech-to-text configured (STT_BASE_URL or LLM_BASE_URL)');
  const speech = await transcodeForSpeech(bytes, {
    ffmpegPath: settings.ffmpegPath,
    maxSeconds: settings.voiceNoteMaxSeconds,
    timeoutMs: settings.transcodeTimeoutMs,
    signal,
  });
  let transcript: string;
  try {
    transcript = await readers.stt.transcribe({
      audio: speech.wav,
      fileName: 'voice-note.wav',
      mimeType: 'audio/wav',
      signal,
    });
  } catch (error) {
    if (error instanceof SpeechToTextUnavailableError)
      throw new MediaError('stt-failed', error.message, true, { cause: error });
    if (error instanceof SpeechToTextRejectedError)
      throw new MediaError('stt-failed', error.message, false, { cause: error });
    throw error;
  }
  if (transcript === '') throw new MediaError('no-speech', 'speech-to-text heard no words');
  return transcript;
}

/** The first failure among the readings, if any (one friendly text per turn, not one per file). */
export function firstFailure(readings: AttachmentReading[]): Extract<AttachmentReading, { ok: false }> | undefined {
  return readings.find((r): r is Extract<AttachmentReading, { ok: false }> => !r.ok);
}

/** Composes the user's turn from the message text and its successful readings, in order. */
export function composeInput(message: Pick<InboundMessage, 'text'>, readings: AttachmentReading[]): PreparedInput {
  const transcripts = readings.flatMap((r) =>
    r.ok && r.kind === 'audio' ? [`${VOICE_NOTE_MARK} ${r.transcript}`] : [],
  );
  const images = readings.flatMap((r) => (r.ok && r.kind === 'image' ? [r.dataUrl] : []));
  const text = message.text?.trim();
  const words = [...transcripts, ...(text ? [text] : [])].join('\n');
  const photoMarks = images.map(() => PHOTO_MARK).join(' ');
  const historyText = [photoMarks, words].filter((s) => s !== '').join('\n');
  if (images.length === 0) return { content: words, historyText };
  const caption =
    words !== '' ? words : images.length === 1 ? '(a photo, no caption)' : `(${images.length} photos, no caption)`;
  return {
    content: [
      { type: 'text', text: caption },
      ...images.map((url) => ({ type: 'image_url' as const, image_url: { url } })),
    ],
    historyText,
  };
}
