import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KnowledgeIndex } from '../src/knowledge/knowledge-index';
import type { Embedder } from '../src/knowledge/embeddings';

/**
 * Retrieval quality over the labelled questions of bench/knowledge-data: for each question, the
 * rank of the first passage that comes from one of its relevant pages. recall@5 is the share of
 * questions answered by a passage in the first five; MRR is the mean of 1 / that rank (0 past
 * the tenth).
 */

export interface Question {
  q: string;
  /** page ids: a passage is relevant when its source is `<id>.html` */
  relevant: string[];
}

export interface Quality {
  questions: number;
  recallAt5: number;
  mrr: number;
  /** questions with no relevant passage in the first ten, for whoever wants to look */
  missed: string[];
}

export function loadQuestions(dataDir: string): Question[] {
  return JSON.parse(readFileSync(join(dataDir, 'questions.json'), 'utf8')) as Question[];
}

export async function measureQuality(
  index: KnowledgeIndex,
  questions: Question[],
  embedder: Embedder | undefined,
): Promise<Quality> {
  let inFive = 0;
  let reciprocal = 0;
  const missed: string[] = [];
  for (const question of questions) {
    const vector = embedder ? (await embedder.embed([question.q]))[0] : undefined;
    const found = index.search(question.q, 10, vector);
    const relevant = new Set(question.relevant.map((id) => `${id}.html`));
    const rank = found.findIndex((hit) => relevant.has(hit.passage.source)) + 1;
    if (rank >= 1 && rank <= 5) inFive += 1;
    if (rank >= 1) reciprocal += 1 / rank;
    else missed.push(question.q);
  }
  return {
    questions: questions.length,
    recallAt5: inFive / questions.length,
    mrr: reciprocal / questions.length,
    missed,
  };
}
