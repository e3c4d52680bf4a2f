import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MediaError } from './errors';
import { ProcessSlots } from './process-slots';

/**
 * One ffmpeg run over bytes in memory. Input and output go through private temp files:
 * containers like MP4 keep their index at the end and need a seekable input, a WAV header is
 * only complete when ffmpeg can seek back, and a finished file avoids racing a pipe against the
 * process's exit. Both files are removed whatever happens.
 *
 * Untrusted bytes meet a decoder here, so the run is fenced: the demuxer is named (`-f`, never
 * probed), only the `file` protocol is allowed (no playlist or concat list can reach the
 * network), at most `slots.size` processes run at once, each under a memory ceiling (RLIMIT_DATA
 * through util-linux `prlimit`), killed (SIGKILL) on timeout or abort, and `-fs` stops it writing
 * past the output cap.
 */

export interface FfmpegRun {
  input: Buffer;
  /** the demuxer for `input` (`ogg`, `mp3`, `png_pipe`, ...: see sniff.ts `demuxerFor`) */
  inputFormat: string;
  /** options placed before `-i` (e.g. `-t`) */
  inputOptions?: string[];
  /** everything after the input: filters, codec, `-f` */
  outputOptions: string[];
  /** the output file's extension, for the reader's benefit only (the format is set by `-f`) */
  outputExtension: string;
  timeoutMs: number;
  maxOutputBytes: number;
  signal?: AbortSignal;
  /** the worker's process slots and memory ceiling; without them, a shared default (no ceiling) */
  processes?: FfmpegProcesses;
}

export interface FfmpegProcesses {
  slots: ProcessSlots;
  /** RLIMIT_DATA of each ffmpeg process, in bytes; undefined: no ceiling */
  memoryCeilingBytes: number | undefined;
}

/** Used by callers that pass no limits of their own (benchmarks, unit tests). */
const DEFAULT_PROCESSES: FfmpegProcesses = { slots: new ProcessSlots(2), memoryCeilingBytes: undefined };

let resolvedPath: string | undefined;

/** FFMPEG_PATH when given, otherwise the binary @ffmpeg-installer/ffmpeg installed for this platform. */
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

/** ffmpeg exited with an error: the input is not something it can decode (or it hit its ceiling). */
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
  const processes = run.processes ?? DEFAULT_PROCESSES;
  return processes.slots.run(async () => {
    // Unguessable names, created exclusively and owner-only: no directory to make and remove per run.
    const base = join(tmpdir(), `threadline-media-${randomUUID()}`);
    const inputPath = `${base}.input`;
    const outputPath = `${base}.${run.outputExtension}`;
    try {
      await writeFile(inputPath, run.input, { flag: 'wx', mode: 0o600 });
      await spawnFfmpeg(binary, ffmpegArguments(inputPath, outputPath, run), processes.memoryCeilingBytes, run);
      const output = await readFile(outputPath);
      if (output.length >= run.maxOutputBytes)
        throw new MediaError('too-big', `ffmpeg output reached ${run.maxOutputBytes} bytes`);
      return output;
    } finally {
      await Promise.all([rm(inputPath, { force: true }), rm(outputPath, { force: true })]);
    }
  }, run.signal);
}

export function ffmpegArguments(inputPath: string, outputPath: string, run: FfmpegRun): string[] {
  return [
    ...['-hide_banner', '-nostdin', '-loglevel', 'error'],
    ...['-protocol_whitelist', 'file'],
    ...(run.inputOptions ?? []),
    ...['-f', run.inputFormat, '-i', inputPath],
    ...run.outputOptions,
    ...['-fs', String(run.maxOutputBytes), '-y', outputPath],
  ];
}

/** The command that runs ffmpeg with `args` under the memory ceiling (prlimit execs ffmpeg in place). */
export function ffmpegCommand(binary: string, args: string[], memoryCeilingBytes: number | undefined): string[] {
  return memoryCeilingBytes === undefined
    ? [binary, ...args]
    : ['prlimit', `--data=${memoryCeilingBytes}`, '--', binary, ...args];
}

function spawnFfmpeg(binary: string, args: string[], ceiling: number | undefined, run: FfmpegRun): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const [command, ...commandArgs] = ffmpegCommand(binary, args, ceiling);
    const child = spawn(command!, commandArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4096);
    });
    let settled = false;
    let killedFor: MediaError | undefined;
    const stop = (why: MediaError) => {
      if (killedFor) return;
      killedFor = why;
      child.kill('SIGKILL');
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
    child.on('error', (error) => finish(new FfmpegFailedError(`ffmpeg could not start: ${error.message}`, '')));
    child.on('close', (code, signal) => {
      if (code === 0) return finish(undefined);
      const tail = stderr.trim().split('\n').slice(-3).join(' | ');
      finish(new FfmpegFailedError(`ffmpeg exited with ${code ?? signal}`, tail));
    });
  });
}
