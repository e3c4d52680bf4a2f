import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import type { ChildAnswer, ScanRequest } from './document-child';

/**
 * Runs document-child.ts on one PDF or DOCX: a separate Node process under a memory ceiling
 * (util-linux `prlimit --data`, as ffmpeg runs, and V8's own heap limit) killed (SIGKILL) after
 * the time limit or on abort. A decompression bomb or a file that sends pdf.js into a loop costs
 * that process; the worker sees a refusal with a reason.
 */

export interface ChildLimits {
  timeoutMs: number;
  maxMemoryMb: number;
  signal?: AbortSignal;
  /** a PDF: parse only its first pages (the chat's DOCUMENT_MAX_PAGES); unset: every page */
  maxPages?: number;
  /** a PDF with no text in the pages parsed: draw this many of them as images (the chat's DOCUMENT_SCAN_PAGES) */
  scan?: ScanRequest;
}

/** Why the child refused a document: `encrypted` when it needs a password, `ceiling` when it hit a limit. */
export class DocumentChildError extends Error {
  constructor(
    readonly why: 'encrypted' | 'ceiling' | 'unreadable',
    message: string,
  ) {
    super(message);
    this.name = 'DocumentChildError';
  }
}

export type ChildResult = Exclude<ChildAnswer, { ok: false }>;

/** Longest answer read from the child: text, or a few pages drawn as JPEGs, far smaller than this. */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;
/** The largest page drawn, whatever is asked: a bigger canvas only costs the child memory. */
const MAX_SCAN_SIDE_PX = 2048;

let prlimitPresent: boolean | undefined;
function hasPrlimit(): boolean {
  prlimitPresent ??= spawnSync('prlimit', ['--version'], { stdio: 'ignore' }).status === 0;
  return prlimitPresent;
}

/** The command line: the compiled child beside this file, or the TypeScript one through tsx when run from source. */
export function childCommand(
  kind: 'pdf' | 'docx',
  maxMemoryMb: number,
  maxPages?: number,
  scan?: ScanRequest,
): string[] {
  const extension = path.extname(__filename);
  const script = path.join(__dirname, `document-child${extension}`);
  const loader = extension === '.ts' ? ['--require', require.resolve('tsx/cjs')] : [];
  const heapMb = Math.max(32, Math.floor(maxMemoryMb * 0.75));
  const scanArgs = scan?.pages ? [String(scan.pages), String(Math.min(scan.sidePx, MAX_SCAN_SIDE_PX))] : [];
  const pages = maxPages === undefined && scanArgs.length === 0 ? [] : [String(maxPages ?? ''), ...scanArgs];
  const node = [process.execPath, `--max-old-space-size=${heapMb}`, ...loader, script, kind, ...pages];
  return hasPrlimit() ? ['prlimit', `--data=${maxMemoryMb * 1024 * 1024}`, '--', ...node] : node;
}

export function readInChild(kind: 'pdf' | 'docx', bytes: Buffer, limits: ChildLimits): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const [command, ...args] = childCommand(kind, limits.maxMemoryMb, limits.maxPages, limits.scan);
    const child = spawn(command!, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let outBytes = 0;
    let stderr = '';
    let stoppedFor: string | undefined;
    const stop = (why: string) => {
      stoppedFor ??= why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => stop(`took longer than ${limits.timeoutMs / 1000} s`), limits.timeoutMs);
    const onAbort = () => stop('aborted');
    if (limits.signal?.aborted) onAbort();
    else limits.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > MAX_ANSWER_BYTES) stop('gave a longer answer than a document can hold');
      else out.push(chunk);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-2048)));
    // The child may die before reading everything; its exit says why, not the broken pipe.
    child.stdin.on('error', () => undefined);
    child.stdin.end(bytes);
    child.on('error', (error) => stop(`the reader could not start: ${error.message}`));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      limits.signal?.removeEventListener('abort', onAbort);
      const name = kind.toUpperCase();
      if (stoppedFor) return reject(new DocumentChildError('ceiling', `the ${name} reader ${stoppedFor}`));
      const answer = parseAnswer(Buffer.concat(out).toString('utf8'));
      if (code === 0 && answer?.ok) return resolve(answer);
      if (answer && !answer.ok)
        return reject(
          new DocumentChildError(answer.encrypted ? 'encrypted' : 'unreadable', `unreadable ${name}: ${answer.error}`),
        );
      reject(new DocumentChildError('ceiling', crashReason(kind, limits.maxMemoryMb, code, signal, stderr)));
    });
  });
}

function parseAnswer(text: string): ChildAnswer | undefined {
  try {
    return text.trim() ? (JSON.parse(text) as ChildAnswer) : undefined;
  } catch {
    return undefined;
  }
}

/** A child that died without answering ran out of memory, nearly always: V8 aborts or the allocator faults. */
function crashReason(kind: string, maxMemoryMb: number, code: number | null, signal: string | null, stderr: string) {
  const memory = signal !== null || /out of memory|allocation failed|Fatal error/i.test(stderr);
  return memory
    ? `the ${kind.toUpperCase()} reader went over its ${maxMemoryMb} MB memory ceiling (${signal ?? `exit ${code}`})`
    : `the ${kind.toUpperCase()} reader failed (exit ${code}): ${stderr.trim().split('\n').pop() ?? ''}`;
}
