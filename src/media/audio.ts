import { MediaError } from './errors';
import { FfmpegFailedError, runFfmpeg, type FfmpegProcesses } from './ffmpeg';
import { demuxerFor, identifyMedia, type SniffedMedia } from './sniff';

/**
 * Any audio Meta delivers (OGG/Opus voice notes, AAC, AMR, MP3, M4A, WebM) → 16 kHz mono 16-bit
 * PCM WAV: what Whisper-style speech-to-text models resample to anyway, accepted by every
 * OpenAI-compatible `/audio/transcriptions` server, and exact to check. ffmpeg is asked for at
 * most one second more than the cap, so an hour-long file costs no more than a long voice note.
 */

export interface VoiceNoteLimits {
  ffmpegPath: string;
  maxSeconds: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** the sniffed container; sniffed here when absent (ffmpeg is never left to guess) */
  format?: Extract<SniffedMedia, { kind: 'audio' }>['format'];
  processes?: FfmpegProcesses;
}

export interface SpeechAudio {
  wav: Buffer;
  durationSeconds: number;
}

export const STT_SAMPLE_RATE = 16_000;
const BYTES_PER_SECOND = STT_SAMPLE_RATE * 2;
/** shorter than this holds no speech worth sending (and is usually a broken file) */
const MIN_SECONDS = 0.1;

export async function transcodeForSpeech(input: Buffer, limits: VoiceNoteLimits): Promise<SpeechAudio> {
  const readSeconds = limits.maxSeconds + 1;
  const format = limits.format ?? identifyMedia(input, 'audio').format;
  let wav: Buffer;
  try {
    wav = await runFfmpeg(limits.ffmpegPath, {
      input,
      inputFormat: demuxerFor(format),
      outputOptions: [
        '-vn',
        '-map_metadata',
        '-1',
        '-ac',
        '1',
        '-ar',
        String(STT_SAMPLE_RATE),
        '-c:a',
        'pcm_s16le',
        '-t',
        String(readSeconds),
        '-bitexact',
        '-f',
        'wav',
      ],
      outputExtension: 'wav',
      timeoutMs: limits.timeoutMs,
      maxOutputBytes: BYTES_PER_SECOND * (readSeconds + 1) + 4096,
      signal: limits.signal,
      processes: limits.processes,
    });
  } catch (error) {
    if (error instanceof FfmpegFailedError) {
      throw new MediaError('unreadable', `audio could not be decoded: ${error.stderrTail}`, false, { cause: error });
    }
    throw error;
  }
  const durationSeconds = wavDataBytes(wav) / BYTES_PER_SECOND;
  if (durationSeconds > limits.maxSeconds) {
    throw new MediaError('too-long', `voice note longer than ${limits.maxSeconds} s`);
  }
  if (durationSeconds < MIN_SECONDS) throw new MediaError('unreadable', 'audio decoded to silence-length nothing');
  return { wav, durationSeconds };
}

/** Size of the `data` chunk of a RIFF/WAVE file (0 when there is none). */
export function wavDataBytes(wav: Buffer): number {
  let offset = 12;
  while (offset + 8 <= wav.length) {
    const id = wav.toString('latin1', offset, offset + 4);
    const size = wav.readUInt32LE(offset + 4);
    if (id === 'data') return Math.min(size, wav.length - offset - 8);
    offset += 8 + size + (size % 2);
  }
  return 0;
}
