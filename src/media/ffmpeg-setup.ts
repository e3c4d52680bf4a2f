import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Logger } from '../logging';
import { ffmpegBinary, ffmpegCommand, type FfmpegProcesses } from './ffmpeg';
import { ProcessSlots } from './process-slots';

/**
 * Which ffmpeg decodes strangers' bytes, chosen once at worker start: `FFMPEG_PATH` when set,
 * else a system `ffmpeg` of version 5 or newer (kept patched by the OS), else the binary
 * @ffmpeg-installer ships (a 2018 build: the zero-install default, old decoders and all). The
 * choice, its version and whether the memory ceiling can be applied are logged.
 */

const run = promisify(execFile);

export type FfmpegSource = 'FFMPEG_PATH' | 'system' | 'bundled';

export interface FfmpegChoice {
  path: string;
  /** as `ffmpeg -version` prints it, e.g. `5.1.9-0+deb12u1` or `N-47683-g0e8eb07980-static` */
  version: string;
  source: FfmpegSource;
}

export interface FfmpegSetupOptions {
  /** FFMPEG_PATH */
  configured: string | undefined;
  /** MEDIA_CONCURRENCY */
  concurrency: number;
  /** MEDIA_FFMPEG_MAX_MEMORY_MB; 0 = no ceiling */
  maxMemoryMb: number;
}

export interface FfmpegSetup extends FfmpegChoice {
  processes: FfmpegProcesses;
}

const MIN_SYSTEM_MAJOR = 5;

/** The version `binary -version` reports, or undefined when it does not run. */
export async function ffmpegVersion(binary: string, prefix: string[] = []): Promise<string | undefined> {
  try {
    const [command = binary, ...args] = [...prefix, binary, '-hide_banner', '-version'];
    const { stdout } = await run(command, args, { timeout: 10_000 });
    return /ffmpeg version (\S+)/.exec(stdout)?.[1];
  } catch {
    return undefined;
  }
}

/** The major version of a release build (`5.1.9-…`, `n6.0`); undefined for git snapshots (`N-47683-…`). */
export function majorVersion(version: string): number | undefined {
  const match = /^n?(\d+)\.\d+/.exec(version);
  return match ? Number(match[1]) : undefined;
}

export async function chooseFfmpeg(configured: string | undefined): Promise<FfmpegChoice> {
  if (configured) {
    const version = await ffmpegVersion(configured);
    if (!version) throw new Error(`FFMPEG_PATH=${configured} does not run as ffmpeg (-version failed)`);
    return { path: configured, version, source: 'FFMPEG_PATH' };
  }
  const system = await ffmpegVersion('ffmpeg');
  if (system && (majorVersion(system) ?? 0) >= MIN_SYSTEM_MAJOR)
    return { path: 'ffmpeg', version: system, source: 'system' };
  const bundled = ffmpegBinary();
  return { path: bundled, version: (await ffmpegVersion(bundled)) ?? 'unknown', source: 'bundled' };
}

/**
 * Chooses the binary, checks the memory ceiling works with it (`prlimit` present, ffmpeg starts
 * under it) and logs what will run. Voice notes and photos fail with a friendly text rather than
 * stopping the worker when no ffmpeg runs at all.
 */
export async function setUpFfmpeg(options: FfmpegSetupOptions, logger: Logger): Promise<FfmpegSetup> {
  let choice: FfmpegChoice;
  try {
    choice = await chooseFfmpeg(options.configured);
  } catch (error) {
    logger.error({ err: error }, 'no usable ffmpeg; trying `ffmpeg` on PATH for voice notes and photos');
    choice = { path: 'ffmpeg', version: 'unknown', source: 'system' };
  }
  let ceiling = options.maxMemoryMb > 0 ? options.maxMemoryMb * 1024 * 1024 : undefined;
  if (ceiling !== undefined) {
    const prefix = ffmpegCommand(choice.path, [], ceiling).slice(0, -1);
    if (!(await ffmpegVersion(choice.path, prefix))) {
      logger.warn(
        { maxMemoryMb: options.maxMemoryMb },
        'ffmpeg does not start under prlimit (util-linux missing, or the ceiling too low): running it without a memory ceiling',
      );
      ceiling = undefined;
    }
  }
  const processes = { slots: new ProcessSlots(options.concurrency), memoryCeilingBytes: ceiling };
  logger.info(
    {
      ffmpeg: choice.path,
      version: choice.version,
      source: choice.source,
      concurrency: options.concurrency,
      memoryCeilingMb: ceiling === undefined ? null : options.maxMemoryMb,
    },
    'ffmpeg for voice notes and photos',
  );
  return { ...choice, processes };
}
