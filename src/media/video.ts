import { transcodeForSpeech } from './audio';
import { MediaError } from './errors';
import { FfmpegFailedError, runFfmpeg, type FfmpegProcesses } from './ffmpeg';
import { sniffMedia } from './sniff';

/**
 * A video as the model can take it: a handful of frames (JPEG, longest side 768 px) spread over
 * its length, and its sound as 16 kHz WAV for speech-to-text. Two ffmpeg runs under the same
 * fences as a voice note's (named demuxer, file protocol only, process slots, memory ceiling, kill
 * timer, output cap), each reading at most VIDEO_MAX_SECONDS + 1 s of the file, so a long video
 * costs no more than a long-enough one; longer than the cap is refused as too long.
 *
 * Frames: ffmpeg writes one frame a second as a stream of JPEGs (split here at their start
 * markers, which byte stuffing keeps out of the coded data), of which `frames` are kept, evenly
 * spaced: the count of frames is the video's length in seconds, known without probing.
 */

export interface VideoLimits {
  ffmpegPath: string;
  maxSeconds: number;
  frames: number;
  timeoutMs: number;
  signal?: AbortSignal;
  processes?: FfmpegProcesses;
}

export interface VideoFrames {
  /** JPEG frames, in order */
  frames: Buffer[];
  /** the length read, in whole seconds (one frame per second) */
  seconds: number;
  /** its sound as 16 kHz mono WAV; undefined when it has no sound track */
  wav: Buffer | undefined;
}

export const FRAME_SIDE_PX = 768;
const MAX_FRAME_BYTES = 256 * 1024;

/** The container of a video's bytes: MP4/MOV/3GP or WebM/Matroska; anything else is refused. */
export function videoContainer(bytes: Buffer): 'mp4' | 'webm' {
  const sniffed = sniffMedia(bytes);
  if (sniffed?.format === 'mp4' || sniffed?.format === 'webm') return sniffed.format;
  throw new MediaError('unsupported-type', `expected a video, got ${sniffed?.format ?? 'unknown bytes'}`);
}

export async function readVideo(input: Buffer, limits: VideoLimits): Promise<VideoFrames> {
  const container = videoContainer(input);
  const demuxer = container === 'mp4' ? 'mov' : 'matroska';
  const all = await frameStream(input, demuxer, limits);
  if (all.length > limits.maxSeconds + 1) throw new MediaError('too-long', `video longer than ${limits.maxSeconds} s`);
  const wav = await soundOf(input, container, limits);
  if (all.length === 0 && !wav) throw new MediaError('unreadable', 'video has neither frames nor sound');
  return { frames: spread(all, limits.frames), seconds: all.length, wav };
}

async function frameStream(input: Buffer, demuxer: string, limits: VideoLimits): Promise<Buffer[]> {
  const readSeconds = limits.maxSeconds + 2;
  const side = FRAME_SIDE_PX;
  try {
    const stream = await runFfmpeg(limits.ffmpegPath, {
      input,
      inputFormat: demuxer,
      inputOptions: ['-t', String(readSeconds)],
      outputOptions: [
        ...['-map', '0:v:0', '-an', '-map_metadata', '-1'],
        ...['-vf', `fps=1,scale=${side}:${side}:force_original_aspect_ratio=decrease`],
        ...['-pix_fmt', 'yuvj420p', '-c:v', 'mjpeg', '-q:v', '5', '-f', 'image2pipe'],
      ],
      outputExtension: 'mjpeg',
      timeoutMs: limits.timeoutMs,
      maxOutputBytes: MAX_FRAME_BYTES * (readSeconds + 1),
      signal: limits.signal,
      processes: limits.processes,
    });
    return splitJpegs(stream);
  } catch (error) {
    // No picture track (a sound-only file sent as a video): its sound may still be heard.
    if (error instanceof FfmpegFailedError) return [];
    throw error;
  }
}

async function soundOf(input: Buffer, container: 'mp4' | 'webm', limits: VideoLimits): Promise<Buffer | undefined> {
  try {
    const speech = await transcodeForSpeech(input, { ...limits, format: container });
    return speech.wav;
  } catch (error) {
    // A silent video (no sound track, or one that decodes to nothing) is watched without sound.
    if (error instanceof MediaError && error.reason === 'unreadable' && !error.transient) return undefined;
    throw error;
  }
}

/** JPEGs back to back, split at each start-of-image marker. */
export function splitJpegs(stream: Buffer): Buffer[] {
  const starts: number[] = [];
  for (let at = stream.indexOf(SOI); at >= 0; at = stream.indexOf(SOI, at + 3)) starts.push(at);
  return starts.map((start, i) => stream.subarray(start, starts[i + 1] ?? stream.length));
}
const SOI = Buffer.from([0xff, 0xd8, 0xff]);

/** `count` items evenly spread over `all` (the first and the last among them), or all of them. */
export function spread<T>(all: T[], count: number): T[] {
  if (all.length <= count) return all;
  if (count === 1) return [all[Math.floor(all.length / 2)]!];
  return Array.from({ length: count }, (_, i) => all[Math.round((i * (all.length - 1)) / (count - 1))]!);
}
