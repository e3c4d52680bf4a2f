import { createHash } from 'node:crypto';
import { FakeHttpServer } from './http-fake';

/**
 * A stand-in for an OpenAI-compatible `POST /embeddings` on loopback. Its vectors are hashed bags
 * of words: each word (lower case, a trailing plural "s" dropped, mapped through `synonyms`)
 * adds 1 to one of `dimensions` slots chosen by its hash. Deterministic and cheap; similar only
 * where the words (or the listed synonyms) are the same, which is what tests and the bench need
 * to tell fused ranking from lexical ranking. It is not a language model and says nothing about
 * one's quality.
 */

export function hashedEmbedding(text: string, dimensions = 256, synonyms: Record<string, string> = {}): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const raw of text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (raw.length < 3) continue;
    const singular = raw.length > 3 && raw.endsWith('s') ? raw.slice(0, -1) : raw;
    const word = synonyms[singular] ?? singular;
    const slot = createHash('md5').update(word).digest().readUInt32LE(0) % dimensions;
    vector[slot]! += 1;
  }
  return vector;
}

export interface FakeEmbeddings {
  server: FakeHttpServer;
  url: string;
  /** every text embedded, in order */
  inputs: string[];
  stop(): Promise<void>;
}

export async function startFakeEmbeddings(
  options: { dimensions?: number; synonyms?: Record<string, string>; model?: string } = {},
): Promise<FakeEmbeddings> {
  const inputs: string[] = [];
  const server = await new FakeHttpServer((request) => {
    const body = request.body as { model?: string; input?: string | string[] };
    if (request.method !== 'POST' || request.path !== '/embeddings')
      return { status: 404, body: { error: 'not found' } };
    if (options.model && body.model !== options.model) return { status: 404, body: { error: 'no such model' } };
    const input = typeof body.input === 'string' ? [body.input] : (body.input ?? []);
    inputs.push(...input);
    return {
      status: 200,
      body: {
        object: 'list',
        model: body.model,
        data: input.map((text, index) => ({
          object: 'embedding',
          index,
          embedding: hashedEmbedding(text, options.dimensions, options.synonyms),
        })),
      },
    };
  }).start();
  return { server, url: server.url, inputs, stop: () => server.stop() };
}
