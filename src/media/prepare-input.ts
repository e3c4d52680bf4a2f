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
import type { FfmpegProcesses } from './ffmpeg';
import { normaliseImage } from './image';
import { identifyMedia } from './sniff';
import { firstWebpFrame } from './webp-frame';
import { readVideoAttachment, type WatchedVideo } from './video-input';
import type { DocumentLimits, DocumentParser, ParseRefusal } from './document';
import { readDocumentAttachment, withDocuments, withScanNote, type ReadDocument } from './document-input';
import { timed, type Metrics } from '../metrics/metrics';

/**
 * Turns a message's voice notes and photos into what the model reads: a voice note becomes its
 * transcript (marked "[voice note]" so the model, and the history, know it was spoken); a photo
 * becomes an `image_url` part with a `data:` URL next to the caption. History keeps text only:
 * the transcript, and "[photo]" in place of the image bytes, or what the model said the photo
 * shows, "[photo: red leather ankle boots]" (photo-note.ts), so later messages can refer to it.
 */

export interface MediaSettings {
  ffmpegPath: string;
  maxAudioBytes: number;
  maxImageBytes: number;
  voiceNoteMaxSeconds: number;
  transcodeTimeoutMs: number;
  imageMaxSidePx: number;
  imageMaxOutputBytes: number;
  /** MEDIA_MAX_IMAGE_PIXELS: larger declared images are refused before ffmpeg runs */
  imageMaxPixels?: number;
  /** MEDIA_MAX_ATTACHMENTS: more voice notes and photos in one turn are refused, none read */
  maxAttachments?: number;
  /** the worker's ffmpeg process slots (MEDIA_CONCURRENCY) and memory ceiling */
  ffmpegProcesses?: FfmpegProcesses;
  /** DOCUMENT_MAX_BYTES, DOCUMENT_MAX_PAGES, DOCUMENT_MAX_CHARS and the parser's ceilings */
  documents?: DocumentLimits;
  /** VIDEO_MAX_SECONDS, MEDIA_MAX_VIDEO_BYTES, VIDEO_FRAMES */
  video?: { maxSeconds: number; maxBytes: number; frames: number };
}

/** MEDIA_MAX_ATTACHMENTS's default. */
export const DEFAULT_MAX_ATTACHMENTS = 5;

export interface MediaReaders {
  /** the platform's download for this attachment (undefined: the platform cannot fetch media) */
  fetch: ((attachment: Attachment, maxBytes: number, signal?: AbortSignal) => Promise<DownloadedMedia>) | undefined;
  stt: SpeechToText | null;
  settings: MediaSettings;
  /** how long each ffmpeg run took, by kind (audio, image) and result */
  transcodeDuration: Metrics['transcodeDuration'];
  /** the PDF and DOCX reader in a child process (undefined: only text and CSV documents are read) */
  parseDocument?: DocumentParser;
  /** the reader's refusal kind, from its error */
  documentRefusal?: (error: unknown) => ParseRefusal | undefined;
  /** whether the model takes images: a scanned PDF's pages are drawn for it only then */
  seesImages?: () => boolean;
}

/** What the model gets as the user's turn, and what the history keeps of it (historyTextOf). */
export interface PreparedInput {
  content: string | ChatContentPart[];
  /** how many photos the turn shows the model */
  photos: number;
  /** how many pages of scanned documents the turn shows the model, as images */
  scans?: number;
  /** the turn's words: transcripts, then the text */
  words: string;
  /** what the history keeps of each document: its name and the start of its text */
  documents?: string[];
  /** the documents read (a cap that cut one short is told to the person beside the answer) */
  documentsRead?: ReadDocument[];
  /** the person-facing lines closing the answer: what a cap left unread */
  notes?: string[];
}

export type AttachmentReading =
  | { ok: true; kind: 'audio'; transcript: string }
  | { ok: true; kind: 'image'; dataUrl: string }
  | { ok: true; kind: 'document'; document: ReadDocument }
  | { ok: true; kind: 'video'; video: WatchedVideo }
  | { ok: false; kind: Attachment['kind']; error: unknown };

export const VOICE_NOTE_MARK = '[voice note]';
export const PHOTO_MARK = '[photo]';
/** A sticker is a reaction in a picture: the model is asked to answer it in kind. */
export const STICKER_CAPTION = '(a sticker, no words: reply briefly, in a few words, as to a friendly gesture)';

/** Never rejects: failures are values, so readings can be started early and awaited later. */
export async function readAttachment(
  attachment: Attachment,
  readers: MediaReaders,
  signal?: AbortSignal,
): Promise<AttachmentReading> {
  try {
    if (!readers.fetch) throw new MediaError('unsupported-type', 'this platform cannot fetch media');
    const { settings } = readers;
    if (attachment.kind === 'document') return await readDocumentAttachment(attachment, readers, signal);
    if (attachment.kind === 'video') return await readVideoAttachment(attachment, readers, signal);
    const maxBytes = attachment.kind === 'audio' ? settings.maxAudioBytes : settings.maxImageBytes;
    const { bytes } = await readers.fetch(attachment, maxBytes, signal);
    const sniffed = identifyMedia(bytes, attachment.kind);
    if (sniffed.kind === 'audio') {
      return { ok: true, kind: 'audio', transcript: await transcribe(bytes, sniffed.format, readers, signal) };
    }
    const image = await timedTranscode(readers, 'image', () =>
      // An animated WebP (a WhatsApp sticker) is looked at by its first frame: ffmpeg reads stills only.
      normaliseImage(sniffed.format === 'webp' ? (firstWebpFrame(bytes) ?? bytes) : bytes, {
        ffmpegPath: settings.ffmpegPath,
        maxSidePx: settings.imageMaxSidePx,
        maxOutputBytes: settings.imageMaxOutputBytes,
        timeoutMs: settings.transcodeTimeoutMs,
        signal,
        format: sniffed.format,
        maxPixels: settings.imageMaxPixels,
        processes: settings.ffmpegProcesses,
      }),
    );
    return { ok: true, kind: 'image', dataUrl: `data:${image.mimeType};base64,${image.bytes.toString('base64')}` };
  } catch (error) {
    return { ok: false, kind: attachment.kind, error };
  }
}

function timedTranscode<T>(readers: MediaReaders, kind: 'audio' | 'image', run: () => Promise<T>): Promise<T> {
  return timed((seconds, result) => readers.transcodeDuration.observe({ kind, result }, seconds), run);
}

async function transcribe(
  bytes: Buffer,
  format: Parameters<typeof transcodeForSpeech>[1]['format'],
  readers: MediaReaders,
  signal?: AbortSignal,
): Promise<string> {
  const { settings } = readers;
  if (!readers.stt) throw new MediaError('stt-failed', 'no speech-to-text configured (STT_BASE_URL or LLM_BASE_URL)');
  const speech = await timedTranscode(readers, 'audio', () =>
    transcodeForSpeech(bytes, {
      ffmpegPath: settings.ffmpegPath,
      maxSeconds: settings.voiceNoteMaxSeconds,
      timeoutMs: settings.transcodeTimeoutMs,
      signal,
      format,
      processes: settings.ffmpegProcesses,
    }),
  );
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

/**
 * The refusal of a turn that carries more voice notes and photos than `maxAttachments`, as a
 * failed reading (so it is answered like any other), or undefined when the count is within it.
 * The turn asks before it starts reading (for the head, and again for the gathered turn), so
 * nothing past the cap is ever downloaded or decoded.
 */
export function refuseExtraAttachments(
  attachments: readonly Attachment[],
  settings: MediaSettings,
): Extract<AttachmentReading, { ok: false }> | undefined {
  const max = settings.maxAttachments ?? DEFAULT_MAX_ATTACHMENTS;
  if (attachments.length <= max) return undefined;
  const error = new MediaError('too-many-attachments', `${attachments.length} attachments in one turn, over ${max}`);
  return { ok: false, kind: attachments[max]!.kind, error };
}

/** The first failure among the readings, if any (one friendly text per turn, not one per file). */
export function firstFailure(readings: AttachmentReading[]): Extract<AttachmentReading, { ok: false }> | undefined {
  return readings.find((r): r is Extract<AttachmentReading, { ok: false }> => !r.ok);
}

/** Composes the user's turn from the message text and its successful readings, in order. */
export function composeInput(
  message: Pick<InboundMessage, 'text'> & Partial<Pick<InboundMessage, 'attachments'>>,
  readings: AttachmentReading[],
): PreparedInput {
  const transcripts = readings.flatMap((r) =>
    r.ok && r.kind === 'audio' ? [`${VOICE_NOTE_MARK} ${r.transcript}`] : [],
  );
  const images = readings.flatMap((r) => (r.ok && r.kind === 'image' ? [r.dataUrl] : []));
  const documents = readings.flatMap((r) => (r.ok && r.kind === 'document' ? [r.document] : []));
  const text = message.text?.trim();
  const words = [...transcripts, ...(text ? [text] : [])].join('\n');
  const photos = images.length;
  const videos = readings.flatMap((r) => (r.ok && r.kind === 'video' ? [r.video] : []));
  if (documents.length > 0 || videos.length > 0)
    return withDocuments({ content: words, photos, words }, { documents, videos }, images);
  if (images.length === 0) return { content: words, photos, words };
  const stickers = message.attachments?.length && message.attachments.every((a) => a.sticker);
  const caption =
    words !== ''
      ? words
      : stickers
        ? STICKER_CAPTION
        : images.length === 1
          ? '(a photo, no caption)'
          : `(${images.length} photos, no caption)`;
  return {
    content: [
      { type: 'text', text: caption },
      ...images.map((url) => ({ type: 'image_url' as const, image_url: { url } })),
    ],
    photos,
    words,
  };
}

/**
 * What the history keeps of a turn: a mark per photo (or one mark with what the model said the
 * photos show), its documents (a scanned one with that note when there is no photo) and the
 * words. Never the image bytes.
 */
export function historyTextOf(
  input: Pick<PreparedInput, 'photos' | 'words' | 'documents'>,
  photoNote?: string,
): string {
  const { photos, words } = input;
  const documents = photos === 0 ? withScanNote(input.documents ?? [], photoNote) : (input.documents ?? []);
  const marks =
    photos === 0
      ? ''
      : photoNote
        ? `[${photos === 1 ? 'photo' : `${photos} photos`}: ${photoNote}]`
        : Array.from({ length: photos }, () => PHOTO_MARK).join(' ');
  return [marks, ...documents, words].filter((s) => s !== '').join('\n');
}
