import { embeddingText, type Embedder } from './embeddings';
import { normalise, type PassageVectors } from './knowledge-index';
import type { Passage } from './passage';

/**
 * The vectors of a new snapshot's passages: a passage the previous snapshot already had (same id,
 * so same source, title path and text) under the same model keeps its vector; only new or changed
 * passages are sent to the embeddings endpoint. Vectors are stored normalised, so cosine
 * similarity is a dot product.
 */

export interface EmbeddedPassages {
  vectors: PassageVectors;
  /** how many passages were sent to the endpoint (the rest were reused) */
  computed: number;
}

export async function embedPassages(
  passages: readonly Passage[],
  embedder: Embedder,
  previous: { passages: readonly Passage[]; vectors: PassageVectors | undefined } | undefined,
  signal?: AbortSignal,
): Promise<EmbeddedPassages> {
  const reusable = previous?.vectors?.model === embedder.model ? previous.vectors : undefined;
  const before = new Map<string, number>();
  if (reusable) previous!.passages.forEach((passage, row) => before.set(passage.id, row));
  const missing = passages.filter((passage) => !before.has(passage.id));
  const fresh = await embedder.embed(missing.map(embeddingText), signal);
  const dimensions = fresh[0]?.length ?? reusable?.dimensions ?? 0;
  if (
    fresh.some((vector) => vector.length !== dimensions) ||
    (reusable && reusable.dimensions !== dimensions && fresh.length > 0)
  )
    throw new Error('the embeddings endpoint gave vectors of different lengths');
  if (dimensions === 0) throw new Error('the embeddings endpoint gave empty vectors');
  const data = new Float32Array(passages.length * dimensions);
  const freshById = new Map(missing.map((passage, i) => [passage.id, fresh[i]!]));
  passages.forEach((passage, row) => {
    const computed = freshById.get(passage.id);
    if (computed) data.set(normalise(computed), row * dimensions);
    else {
      const from = before.get(passage.id)!;
      data.set(reusable!.data.subarray(from * dimensions, (from + 1) * dimensions), row * dimensions);
    }
  });
  return { vectors: { model: embedder.model, dimensions, data }, computed: missing.length };
}
