import { MediaError } from './errors';
import { jpegOrientation, orientationFilters } from './exif';
import { FfmpegFailedError, runFfmpeg, type FfmpegProcesses } from './ffmpeg';
import { checkImageSize, type ImageSize } from './image-header';
import { demuxerFor, identifyMedia, type SniffedMedia } from './sniff';

/**
 * A photo as the model should see it: upright (EXIF orientation applied), JPEG, the longest side
 * at most `maxSidePx` (1568 px is where vision models stop gaining detail and start charging
 * more tokens), and at most `maxOutputBytes` (re-encoded once at a lower quality if needed).
 * Only the first frame of an animated image is kept. An image whose header declares more than
 * `maxPixels` is refused before ffmpeg starts (decoders allocate what the header declares).
 */

export interface ImageLimits {
  ffmpegPath: string;
  maxSidePx: number;
  maxOutputBytes: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** the sniffed format; sniffed here when absent (ffmpeg is never left to guess) */
  format?: Extract<SniffedMedia, { kind: 'image' }>['format'];
  /** largest width × height decoded; DEFAULT_MAX_IMAGE_PIXELS when absent */
  maxPixels?: number;
  processes?: FfmpegProcesses;
}

/** MEDIA_MAX_IMAGE_PIXELS's default: 40 MP (8000×5000), far above what Meta's apps deliver. */
export const DEFAULT_MAX_IMAGE_PIXELS = 40_000_000;

export interface ModelImage {
  bytes: Buffer;
  mimeType: 'image/jpeg';
}

/** ffmpeg's JPEG quality scale: 2 (best) .. 31; 4 is visually clean, 10 is the fallback. */
const QUALITIES = [4, 10];

export function imageFilterChain(orientation: number, maxSidePx: number): string {
  return [
    `scale=w='min(iw,${maxSidePx})':h='min(ih,${maxSidePx})':force_original_aspect_ratio=decrease`,
    ...orientationFilters(orientation),
    'format=yuvj420p',
  ].join(',');
}

/**
 * JPEG decoding dominates the cost for a phone photo, and the JPEG decoder can decode at 1/2 or
 * 1/4 size directly (`-lowres`, scaling in the IDCT). Use it whenever the reduced picture still
 * has at least `maxSidePx` on its longest side, so nothing is lost before the final scale.
 */
export function jpegLowres(size: ImageSize, maxSidePx: number): number {
  const longest = Math.max(size.width, size.height);
  if (longest >= 4 * maxSidePx) return 2;
  if (longest >= 2 * maxSidePx) return 1;
  return 0;
}

export async function normaliseImage(input: Buffer, limits: ImageLimits): Promise<ModelImage> {
  const format = limits.format ?? identifyMedia(input, 'image').format;
  const size = checkImageSize(input, format, limits.maxPixels ?? DEFAULT_MAX_IMAGE_PIXELS);
  const jpeg = format === 'jpeg';
  const filters = imageFilterChain(jpeg ? jpegOrientation(input) : 1, limits.maxSidePx);
  let lowres = jpeg ? jpegLowres(size, limits.maxSidePx) : 0;
  for (let attempt = 0; attempt < QUALITIES.length; attempt += 1) {
    const quality = QUALITIES[attempt]!;
    try {
      const bytes = await runFfmpeg(limits.ffmpegPath, {
        input,
        inputFormat: demuxerFor(format),
        // The bundled ffmpeg ignores EXIF orientation; a newer one may not, and must not turn it twice.
        inputOptions: ['-noautorotate', ...(lowres > 0 ? ['-lowres', String(lowres)] : [])],
        outputOptions: [
          '-map_metadata',
          '-1',
          '-vf',
          filters,
          '-frames:v',
          '1',
          '-c:v',
          'mjpeg',
          '-q:v',
          String(quality),
          '-f',
          'image2',
        ],
        outputExtension: 'jpg',
        timeoutMs: limits.timeoutMs,
        maxOutputBytes: limits.maxOutputBytes,
        signal: limits.signal,
        processes: limits.processes,
      });
      if (bytes.length === 0) throw new MediaError('unreadable', 'image decoded to nothing');
      return { bytes, mimeType: 'image/jpeg' };
    } catch (error) {
      if (error instanceof FfmpegFailedError && lowres > 0) {
        // An unusual JPEG the reduced decode cannot handle: try once more at full size.
        lowres = 0;
        attempt -= 1;
        continue;
      }
      if (error instanceof FfmpegFailedError) {
        throw new MediaError('unreadable', `image could not be decoded: ${error.stderrTail}`, false, { cause: error });
      }
      const lastTry = attempt === QUALITIES.length - 1;
      if (!(error instanceof MediaError && error.reason === 'too-big') || lastTry) throw error;
    }
  }
  throw new MediaError('too-big', 'image could not be made small enough');
}
