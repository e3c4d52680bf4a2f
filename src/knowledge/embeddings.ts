/**
 * The OpenAI-compatible `POST /embeddings` endpoint (OpenAI, Ollama, vLLM, llama.cpp server, ...):
 * texts in, one vector each out, in batches. Asked for plain floats; a base64 answer (what
 * OpenAI's own SDK asks for) is read too.
 */

export interface Embedder {
  readonly model: string;
  embed(texts: readonly string[], signal?: AbortSignal): Promise<Float32Array[]>;
}

export interface EmbedderOptions {
  model: string;
  baseUrl: string;
  apiKey: string | undefined;
  /** one request */
  timeoutMs: number;
  /** texts per request */
  batchSize?: number;
}

/** Longest text sent: about 2,000 tokens, within every embedding model's input. */
const MAX_INPUT_CHARS = 8000;

interface EmbeddingsAnswer {
  data?: Array<{ index?: number; embedding?: number[] | string }>;
}

function toVector(embedding: number[] | string | undefined): Float32Array {
  if (typeof embedding === 'string') {
    const bytes = Buffer.from(embedding, 'base64');
    return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  }
  if (Array.isArray(embedding) && embedding.every((value) => typeof value === 'number'))
    return Float32Array.from(embedding);
  throw new Error('the embeddings answer has an entry without a vector');
}

export function createEmbedder(options: EmbedderOptions): Embedder {
  const batchSize = options.batchSize ?? 64;
  const url = `${options.baseUrl.replace(/\/+$/, '')}/embeddings`;
  const post = (input: string[], signal: AbortSignal | undefined) => {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    return fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}),
      },
      body: JSON.stringify({ model: options.model, input, encoding_format: 'float' }),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  };
  async function batch(input: string[], signal: AbortSignal | undefined): Promise<Float32Array[]> {
    // Once more after a dropped connection (a kept-alive socket the server had just closed);
    // an answer the endpoint gave, even an error, is final.
    const response = await post(input, signal).catch((error: unknown) => {
      if (signal?.aborted || (error instanceof Error && error.name === 'TimeoutError')) throw error;
      return post(input, signal);
    });
    if (!response.ok) throw new Error(`the embeddings endpoint answered ${response.status}`);
    const answer = (await response.json()) as EmbeddingsAnswer;
    const data = answer.data ?? [];
    if (data.length !== input.length)
      throw new Error(`the embeddings endpoint gave ${data.length} vectors for ${input.length} texts`);
    const ordered = [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
    return ordered.map((entry) => toVector(entry.embedding));
  }
  return {
    model: options.model,
    async embed(texts, signal) {
      const vectors: Float32Array[] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        const input = texts.slice(start, start + batchSize).map((text) => text.slice(0, MAX_INPUT_CHARS));
        vectors.push(...(await batch(input, signal)));
      }
      return vectors;
    },
  };
}

/** What is embedded for a passage: its title path gives the words of its context. */
export function embeddingText(passage: { titlePath: readonly string[]; text: string }): string {
  return `${passage.titlePath.join(' › ')}\n${passage.text}`;
}
