import { ffmpegBinary, runFfmpeg } from '../src/media/ffmpeg';
import { demuxerFor, sniffMedia } from '../src/media/sniff';
import { DEMO_COLORS } from './catalog/demo-products';

/**
 * What the offline demo responder can tell of a photo without a vision model: its average colour
 * (ffmpeg scales it to one pixel), named after the nearest colour the demo shop sells. Shopping
 * turns search by it, so "something like this" finds products of that colour.
 */

const rgbOf = (hex: string): [number, number, number] =>
  [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];

/** The demo shop's colour nearest to `rgb` (plain distance in RGB: enough for flat swatches and photos alike). */
export function nearestDemoColour(rgb: [number, number, number]): string {
  let best = { name: DEMO_COLORS[0]!.name, distance: Infinity };
  for (const colour of DEMO_COLORS) {
    const [r, g, b] = rgbOf(colour.hex);
    const distance = (r - rgb[0]) ** 2 + (g - rgb[1]) ** 2 + (b - rgb[2]) ** 2;
    if (distance < best.distance) best = { name: colour.name, distance };
  }
  return best.name;
}

/** The colour name of a `data:` image URL, or undefined when it is not an image ffmpeg reads. */
export async function photoColour(dataUrl: string): Promise<string | undefined> {
  const match = /^data:[^;,]*;base64,(.*)$/s.exec(dataUrl);
  if (!match) return undefined;
  const bytes = Buffer.from(match[1] ?? '', 'base64');
  const sniffed = sniffMedia(bytes);
  if (sniffed?.kind !== 'image') return undefined;
  try {
    const pixel = await runFfmpeg(ffmpegBinary(), {
      input: bytes,
      inputFormat: demuxerFor(sniffed.format),
      outputOptions: ['-vf', 'scale=1:1:flags=area', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24'],
      outputExtension: 'rgb',
      timeoutMs: 10_000,
      maxOutputBytes: 4096,
    });
    if (pixel.length < 3) return undefined;
    return nearestDemoColour([pixel[0]!, pixel[1]!, pixel[2]!]);
  } catch {
    return undefined;
  }
}
