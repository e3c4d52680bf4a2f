/**
 * The document and video rows of `npm run bench:media`: Threadline's reading (sniffing, the ZIP
 * and script checks, the child process under prlimit, the caps; for a video both ffmpeg runs)
 * against the bare extractor (a Node process running unpdf or mammoth on the same file; for a
 * scanned PDF unpdf's renderPageAsImage on @napi-rs/canvas) or the bare ffmpeg command lines,
 * interleaved, with the peak memory of the processes each started.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readChatDocument } from '../src/knowledge/chat-document';
import { DocumentChildError } from '../src/knowledge/document-reader';
import { readDocument, DEFAULT_DOCUMENT_LIMITS } from '../src/media/document';
import type { FfmpegProcesses } from '../src/media/ffmpeg';
import { readVideo } from '../src/media/video';
import { makeDocx } from '../test/helpers/document-fixtures';
import { makePdf } from '../test/helpers/knowledge-files';
import { scannedPdf } from '../test/helpers/scanned-pdf';
import { childPeakMb } from './child-peak';

const run = promisify(execFile);

export type Compare = (
  name: string,
  ours: () => Promise<unknown>,
  bare: () => Promise<unknown>,
  targetMs: number,
  bareName?: string,
) => Promise<void>;

const reading = {
  parse: readChatDocument,
  limits: DEFAULT_DOCUMENT_LIMITS,
  refusalOf: (error: unknown) => (error instanceof DocumentChildError ? error.why : undefined),
};

const BARE_PDF =
  "const {extractText,getDocumentProxy}=require('unpdf');const b=require('fs').readFileSync(process.argv[1]);" +
  'getDocumentProxy(new Uint8Array(b),{isEvalSupported:false}).then(p=>extractText(p,{mergePages:false})).then(r=>console.log(r.text.length))';
const BARE_SCAN =
  "const u=require('unpdf');const b=require('fs').readFileSync(process.argv[1]);(async()=>{" +
  'const p=await u.getDocumentProxy(new Uint8Array(b),{isEvalSupported:false});for(let n=1;n<=3;n++)' +
  "console.log((await u.renderPageAsImage(p,n,{canvasImport:()=>import('@napi-rs/canvas'),scale:1.98})).byteLength)})()";
const BARE_DOCX = "require('mammoth').extractRawText({path:process.argv[1]}).then(r=>console.log(r.value.length))";

async function peaks(ours: () => Promise<unknown>, bare: () => Promise<unknown>): Promise<string> {
  const [o, b] = [await childPeakMb(ours), await childPeakMb(bare)];
  return `peak memory of the started processes: threadline ${o.toFixed(0)} MB, bare ${b.toFixed(0)} MB`;
}

export async function documentRows(dir: string, compare: Compare): Promise<void> {
  const paragraph = 'Opening hours, returns, delivery times and prices for every store we run. '.repeat(12);
  const pdf = makePdf(
    Array.from({ length: 20 }, (_, i) => `Page ${i + 1}\n${paragraph.match(/.{1,90}/g)!.join('\n')}`),
  );
  const docx = makeDocx(Array.from({ length: 200 }, (_, i) => `${i + 1}. ${paragraph}`));
  const scan = scannedPdf(10);
  const [pdfPath, docxPath, scanPath] = ['doc.pdf', 'doc.docx', 'scan.pdf'].map((name) => join(dir, name));
  await writeFile(pdfPath!, pdf);
  await writeFile(docxPath!, docx);
  await writeFile(scanPath!, scan);
  const kb = (bytes: Buffer) => `${(bytes.length / 1024).toFixed(0)} KB`;
  console.log(`\ninputs: 20-page PDF ${kb(pdf)}, DOCX ${kb(docx)}, 10-page scanned PDF ${kb(scan)}`);
  const cwd = join(__dirname, '..');
  const rows: Array<[string, Buffer, string, string]> = [
    ['20-page PDF → text (child process)', pdf, BARE_PDF, pdfPath!],
    ['DOCX (200 paragraphs) → text', docx, BARE_DOCX, docxPath!],
    ['scanned PDF (3 pages rendered)', scan, BARE_SCAN, scanPath!],
  ];
  // Pages drawn as large as photos are sent (MEDIA_IMAGE_MAX_SIDE_PX's default).
  const scanning = { ...reading, scan: { pages: DEFAULT_DOCUMENT_LIMITS.scanPages, sidePx: 1568 } };
  for (const [name, bytes, bareScript, path] of rows) {
    const ours = () => readDocument(bytes, {}, scanning);
    const bare = () => run(process.execPath, ['-e', bareScript, path], { cwd });
    await compare(name, ours, bare, 3000, 'bare extractor');
    console.log(`${''.padEnd(34)} ${await peaks(ours, bare)}`);
  }
}

export async function videoRows(dir: string, ffmpeg: string, processes: FfmpegProcesses, compare: Compare) {
  const videoPath = join(dir, 'clip.mp4');
  await run(ffmpeg, [
    ...['-hide_banner', '-loglevel', 'error', '-y'],
    ...['-f', 'lavfi', '-i', 'testsrc=duration=30:size=1280x720:rate=30', '-f', 'lavfi', '-i', 'sine=duration=30'],
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-c:a', 'aac', '-shortest', videoPath],
  ]);
  const { readFile } = await import('node:fs/promises');
  const video = await readFile(videoPath);
  console.log(`\ninput: 30 s 720p H.264/AAC video ${(video.length / 1024 / 1024).toFixed(1)} MB`);
  const limits = { ffmpegPath: ffmpeg, maxSeconds: 120, frames: 4, timeoutMs: 60_000, processes };
  const ours = () => readVideo(video, limits);
  const bare = async () => {
    const quiet = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-i', videoPath];
    await run(ffmpeg, [
      ...quiet,
      '-vf',
      'fps=1,scale=768:768:force_original_aspect_ratio=decrease',
      '-q:v',
      '5',
      '-f',
      'image2pipe',
      join(dir, 'frames.mjpeg'),
    ]);
    await run(ffmpeg, [
      ...quiet,
      '-vn',
      '-ac',
      '1',
      '-ar',
      '16000',
      '-c:a',
      'pcm_s16le',
      '-f',
      'wav',
      join(dir, 'sound.wav'),
    ]);
  };
  await compare('30 s 720p video → 4 frames + WAV', ours, bare, 5000);
  console.log(`${''.padEnd(34)} ${await peaks(ours, bare)}`);
}
