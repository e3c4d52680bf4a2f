import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ffmpeg from 'fluent-ffmpeg';
import { MediaError } from './errors';

/**
 * One ffmpeg run over bytes in memory. Input and output go through private temp files:
 * containers like MP4 keep their index at the end and need a seekable input, a WAV header is
 * only complete when ffmpeg can seek back, and a finished file avoids racing a pipe against the
 * process's exit. Both files are removed whatever happens; ffmpeg is killed (SIGKILL) on
 * timeout or abort, and `-fs` stops it writing past the output cap.
 */

export interface FfmpegRun {
  input: Buffer;
  /** options placed before `-i` (e.g. `-t`) */
  inputOptions?: string[];
  /** everything after the input: filters, codec, `-f` */
  outputOptions: string[];
  /** the output file's extension, for the reader's benefit only (the format is set by `-f`) */
  outputExtension: string;
  timeoutMs: number;
  maxOutputBytes: number;
  signal?: AbortSignal;
}

let resolvedPath: string | undefined;

/** FFMPEG_PATH when set, otherwise the binary @ffmpeg-installer/ffmpeg installed for this platform. */
export function ffmpegBinary(configured?: string): string {
  if (configured) return configured;
  if (!resolvedPath) {
    try {
      // Loaded lazily: the installer throws (a string) at import when its platform package is missing.
      resolvedPath = (createRequire(__filename)('@ffmpeg-installer/ffmpeg') as { path: string }).path;
    } catch (error) {
      throw new Error(`no ffmpeg binary: set FFMPEG_PATH or install @ffmpeg-installer/ffmpeg (${String(error)})`, {
        cause: error,
      });
    }
  }
  return resolvedPath;
}

/** ffmpeg exited with an error: the input is not something it can decode. */
export class FfmpegFailedError extends Error {
  constructor(
    message: string,
    readonly stderrTail: string,
  ) {
    super(message);
    this.name = 'FfmpegFailedError';
  }
}

export async function runFfmpeg(binary: string, run: FfmpegRun): Promise<Buffer> {
  // Unguessable names, created exclusively and owner-only: no directory to make and remove per run.
  const base = join(tmpdir(), `threadline-media-${randomUUID()}`);
  const inputPath = `${base}.input`;
  const outputPath = `${base}.${run.outputExtension}`;
  try {
    await writeFile(inputPath, run.input, { flag: 'wx', mode: 0o600 });
    await spawnFfmpeg(binary, inputPath, outputPath, run);
    const output = await readFile(outputPath);
    if (output.length >= run.maxOutputBytes)
      throw new MediaError('too-big', `ffmpeg output reached ${run.maxOutputBytes} bytes`);
    return output;
  } finally {
    await Promise.all([rm(inputPath, { force: true }), rm(outputPath, { force: true })]);
  }
}

function spawnFfmpeg(binary: string, inputPath: string, outputPath: string, run: FfmpegRun): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    let killedFor: MediaError | undefined;
    const command = ffmpeg(inputPath)
      .setFfmpegPath(binary)
      .inputOptions(['-hide_banner', '-nostdin', '-loglevel', 'error', ...(run.inputOptions ?? [])])
      .outputOptions([...run.outputOptions, '-fs', String(run.maxOutputBytes), '-y'])
      .output(outputPath);
    const stop = (why: MediaError) => {
      if (killedFor) return;
      killedFor = why;
      command.kill('SIGKILL');
    };
    const timer = setTimeout(
      () => stop(new MediaError('unreadable', `ffmpeg ran over ${run.timeoutMs} ms`)),
      run.timeoutMs,
    );
    const onAbort = () => stop(new MediaError('unreadable', 'ffmpeg aborted', true));
    if (run.signal?.aborted) onAbort();
    else run.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (error: Error | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      run.signal?.removeEventListener('abort', onAbort);
      if (killedFor) reject(killedFor);
      else if (error) reject(error);
      else resolve();
    };
    // A stop requested before the process existed is carried out as soon as it does.
    command.on('start', () => {
      if (killedFor) command.kill('SIGKILL');
    });
    command.on('error', (error: Error, _stdout: string | null, stderr: string | null) => {
      const tail = String(stderr ?? '')
        .trim()
        .split('\n')
        .slice(-3)
        .join(' | ');
      finish(new FfmpegFailedError(`ffmpeg failed: ${error.message}`, tail));
    });
    command.on('end', () => finish(undefined));
    command.run();
  });
}
