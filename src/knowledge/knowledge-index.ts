import MiniSearch from 'minisearch';
import type { FoundPassage, Passage } from './passage';

/**
 * One worker's in-process index over a snapshot's passages: BM25 over title path and text with
 * MiniSearch (as the catalog), and, when the snapshot carries vectors, cosine similarity over
 * them, the two rankings fused by reciprocal rank fusion (each list contributes 1 / (60 + rank)).
 * Fusion needs no score calibration between the two, which is why it is used: BM25 scores and
 * cosine similarities live on unrelated scales.
 */

/** Vectors in one block, row i for passage i, each normalised to length 1. */
export interface PassageVectors {
  model: string;
  dimensions: number;
  data: Float32Array;
}

/** RRF's usual constant: ranks past the first few count for little, a single list never dominates. */
const RRF_K = 60;
/** How deep each list is read before fusing. */
const FUSION_DEPTH = 50;
/**
 * A passage found by its vector alone (no query word in it) must be at least this similar: nearest
 * neighbours always exist, relevant or not, and "nothing relevant" must stay an empty answer.
 */
export const VECTOR_ONLY_MIN_SIMILARITY = 0.3;

const STOP_WORDS = new Set(
  'a an and are as at be but by can do does for from how i if in is it its me my no not of on or our so that the their then there these they this to us was we what when where which who why will with you your'.split(
    ' ',
  ),
);

/** lower case, accents folded, stop words dropped, a light English plural stem ("refunds" = "refund"). */
export function processTerm(term: string): string | null {
  const folded = term.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  if (folded === '' || STOP_WORDS.has(folded)) return null;
  if (folded.length > 4 && folded.endsWith('ies')) return `${folded.slice(0, -3)}y`;
  if (folded.length > 3 && folded.endsWith('s') && !/(ss|us|is)$/.test(folded)) return folded.slice(0, -1);
  return folded;
}

const defaultTokenize = MiniSearch.getDefault('tokenize') as (text: string) => string[];

/** MiniSearch's words, plus hyphenated words joined ("Wi-Fi" is also "wifi", "T-shirt" also "tshirt"). */
export function tokenize(text: string): string[] {
  const words = defaultTokenize(text);
  for (const match of text.matchAll(/[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)+/gu)) words.push(match[0].replace(/-/g, ''));
  return words;
}

interface IndexedPassage {
  id: number;
  title: string;
  text: string;
}

export function normalise(vector: Float32Array): Float32Array {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const length = Math.sqrt(sum) || 1;
  return vector.map((value) => value / length);
}

export class KnowledgeIndex {
  private constructor(
    readonly passages: readonly Passage[],
    private readonly lexicalIndex: MiniSearch<IndexedPassage>,
    readonly vectors: PassageVectors | undefined,
  ) {}

  static async build(passages: readonly Passage[], vectors?: PassageVectors): Promise<KnowledgeIndex> {
    const index = new MiniSearch<IndexedPassage>({
      fields: ['title', 'text'],
      tokenize,
      processTerm,
      searchOptions: {
        boost: { title: 2 },
        prefix: (term) => term.length >= 4,
        fuzzy: (term) => (term.length >= 6 ? 0.2 : false),
        weights: { fuzzy: 0.3, prefix: 0.5 },
      },
    });
    await index.addAllAsync(
      passages.map((passage, id) => ({ id, title: passage.titlePath.join(' '), text: passage.text })),
      { chunkSize: 200 },
    );
    return new KnowledgeIndex(passages, index, vectors);
  }

  get size(): number {
    return this.passages.length;
  }

  /** BM25 ranking: passage positions, best first. */
  lexical(query: string, depth = FUSION_DEPTH): Array<{ at: number; score: number }> {
    return this.lexicalIndex
      .search(query)
      .slice(0, depth)
      .map((hit) => ({ at: hit.id as number, score: hit.score }));
  }

  /** Cosine ranking against a query vector: passage positions, best first. */
  nearest(query: Float32Array, depth = FUSION_DEPTH): Array<{ at: number; score: number }> {
    const vectors = this.vectors;
    if (!vectors || query.length !== vectors.dimensions) return [];
    const unit = normalise(query);
    const { data, dimensions } = vectors;
    const count = this.passages.length;
    const scores = new Float32Array(count);
    for (let at = 0, offset = 0; at < count; at += 1, offset += dimensions) {
      let score = 0;
      for (let d = 0; d < dimensions; d += 1) score += data[offset + d]! * unit[d]!;
      scores[at] = score;
    }
    // The depth-th best score, then only passages at or above it are sorted.
    const threshold = count <= depth ? -Infinity : scores.slice().sort()[count - depth]!;
    const best: Array<{ at: number; score: number }> = [];
    for (let at = 0; at < count; at += 1) if (scores[at]! >= threshold) best.push({ at, score: scores[at]! });
    return best.sort((a, b) => b.score - a.score).slice(0, depth);
  }

  /** The best passages: lexical alone, or fused with the vector ranking when a query vector is given. */
  search(query: string, limit: number, queryVector?: Float32Array): FoundPassage[] {
    const lexical = this.lexical(query);
    const nearest = queryVector ? this.nearest(queryVector) : [];
    if (nearest.length === 0)
      return lexical.slice(0, limit).map((hit) => ({ passage: this.passages[hit.at]!, score: hit.score }));
    const fused = new Map<number, number>();
    lexical.forEach((hit, rank) => fused.set(hit.at, 1 / (RRF_K + rank + 1)));
    nearest.forEach((hit, rank) => {
      const before = fused.get(hit.at);
      if (before === undefined && hit.score < VECTOR_ONLY_MIN_SIMILARITY) return;
      fused.set(hit.at, (before ?? 0) + 1 / (RRF_K + rank + 1));
    });
    return [...fused.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([at, score]) => ({ passage: this.passages[at]!, score }));
  }
}
