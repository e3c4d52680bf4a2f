/**
 * Split benchmark (a script, not a test): how long splitForPlatform blocks the event loop on a
 * one-million-character answer, for each platform's limit, uncapped (every part computed) and as
 * the worker calls it (capped at MAX_REPLY_PARTS). Prints the median of RUNS runs.
 *
 *   npm run bench:split            (RUNS=5 by default)
 *
 * Target: 1M characters well under a second on every platform, uncapped.
 */
import { performance } from 'node:perf_hooks';
import { MAX_REPLY_PARTS, splitForPlatform, type TextLimit } from '../src/core/split';

const RUNS = Number(process.env.RUNS ?? 5);
const SIZE = 1_000_000;

const LIMITS: Record<string, TextLimit> = {
  whatsapp: { max: 4096, unit: 'chars' },
  messenger: { max: 2000, unit: 'chars' },
  instagram: { max: 1000, unit: 'bytes' },
};

const sentence = 'A sentence of an answer, with some words in it. ';
const TEXTS: Record<string, string> = {
  prose: (sentence.repeat(12) + '\n\n').repeat(Math.ceil(SIZE / (sentence.length * 12 + 2))).slice(0, SIZE),
  'one endless word': 'a'.repeat(SIZE),
  'emoji, flags, accents, CJK': '👩‍👩‍👧‍👦🇯🇵é東 '.repeat(Math.ceil(SIZE / 17)).slice(0, SIZE),
  'Japanese, no spaces': '今日はとても良い天気ですね。'.repeat(Math.ceil(SIZE / 14)).slice(0, SIZE),
  'letters under 800 marks': ('a' + '\u0301'.repeat(800)).repeat(Math.ceil(SIZE / 801)).slice(0, SIZE),
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function time(text: string, limit: TextLimit, maxParts: number): { ms: number; parts: number } {
  const samples: number[] = [];
  let parts = 0;
  for (let run = 0; run < RUNS; run += 1) {
    const started = performance.now();
    parts = splitForPlatform(text, limit, maxParts).length;
    samples.push(performance.now() - started);
  }
  return { ms: median(samples), parts };
}

console.log(`splitForPlatform on ${SIZE.toLocaleString('en')} characters, median of ${RUNS} runs\n`);
console.log(['text', 'platform', 'uncapped ms', 'parts', `capped (${MAX_REPLY_PARTS}) ms`].join('\t'));
let worst = 0;
for (const [name, text] of Object.entries(TEXTS)) {
  for (const [platform, limit] of Object.entries(LIMITS)) {
    const full = time(text, limit, Infinity);
    const capped = time(text, limit, MAX_REPLY_PARTS);
    worst = Math.max(worst, full.ms);
    console.log([name, platform, full.ms.toFixed(1), full.parts, capped.ms.toFixed(1)].join('\t'));
  }
}
console.log(`\nslowest uncapped split: ${worst.toFixed(0)} ms (target: well under 1000 ms)`);
