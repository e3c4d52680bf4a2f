/**
 * Cost of encryption at rest: AES-256-GCM seal/open of a typical history entry, and loading a
 * full conversation history (40 entries) from real Redis with and without a key.
 * Run: npx tsx bench/sealing.ts (needs Redis at REDIS_URL or 127.0.0.1:6379).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { ConversationHistory } from '../src/conversation/history';
import { createSealer, plaintextSealer, type Sealer } from '../src/crypto/sealing';
import { stateKey } from '../src/redis/keys';

const entry = JSON.stringify({ role: 'user', content: 'x'.repeat(600), at: Date.now() });
const conversation = 'whatsapp:106540352242922:16505551234';

function opsPerSecond(run: () => void, iterations = 100_000): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i += 1) run();
  return iterations / (Number(process.hrtime.bigint() - start) / 1e9);
}

async function loadMs(redis: Redis, sealer: Sealer, prefix: string): Promise<number> {
  const sealed = new ConversationHistory(
    redis,
    (c) => stateKey(prefix, 'history', c),
    { maxTurns: 20, maxChars: 1_000_000, ttlSeconds: 600 },
    sealer,
  );
  const multi = redis.multi();
  const at = Date.now();
  sealed.appendIn(
    multi,
    conversation,
    Array.from(
      { length: 40 },
      (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: 'y'.repeat(600), at }) as const,
    ),
  );
  await multi.exec();
  const rounds = 500;
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i += 1) await sealed.load(conversation);
  return Number(process.hrtime.bigint() - start) / 1e6 / rounds;
}

async function main() {
  const sealer = createSealer({ current: randomBytes(32) });
  const sealedEntry = sealer.seal(entry, conversation);
  console.log(`entry: ${entry.length} bytes plaintext, ${sealedEntry.length} bytes sealed`);
  console.log(`seal: ${Math.round(opsPerSecond(() => sealer.seal(entry, conversation)))} /s`);
  console.log(`open: ${Math.round(opsPerSecond(() => sealer.open(sealedEntry, conversation)))} /s`);
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  try {
    const plain = await loadMs(redis, plaintextSealer, `${prefix}-plain`);
    const encrypted = await loadMs(redis, sealer, `${prefix}-sealed`);
    console.log(`history load, 40 entries: plaintext ${plain.toFixed(3)} ms, sealed ${encrypted.toFixed(3)} ms`);
  } finally {
    const keys = await redis.keys(`${prefix}-*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  }
}

void main();
