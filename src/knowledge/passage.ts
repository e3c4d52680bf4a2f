import type { Coordinates } from './geo';

/**
 * What the business's own knowledge is made of, as the turn sees it: passages of a few hundred
 * words cut from the operator's documents, each keeping where it came from so an answer can cite
 * it and the person can open it. Reading sources, indexing and searching live beside this file;
 * the turn depends only on these types.
 */

export interface Passage {
  /** stable across refreshes while the passage's text is unchanged (a hash of source + text) */
  readonly id: string;
  /** the headings above the passage, outermost first, e.g. ["Shipping & returns", "Returns"] */
  readonly titlePath: readonly string[];
  readonly text: string;
  /** where the person can open it: an https URL (with #anchor where the heading has one), or absent for a local file */
  readonly url: string | undefined;
  /** the document it came from: a URL or a path relative to the configured source */
  readonly source: string;
  /** the coordinates its section states (geo.ts), when it states exactly one place */
  readonly place?: Coordinates;
}

export interface FoundPassage {
  readonly passage: Passage;
  /** higher is better; comparable only within one search */
  readonly score: number;
}

/** The knowledge base every worker answers from: one shared snapshot, loaded by each worker. */
export interface KnowledgeSearch {
  /** the best passages for a query, best first; empty when nothing is relevant */
  search(query: string, limit?: number, signal?: AbortSignal): Promise<FoundPassage[]>;
  /** how many passages are loaded: 0 means no knowledge is configured or loaded yet */
  readonly size: number;
}
