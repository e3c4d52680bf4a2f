import { createHash } from 'node:crypto';
import type { FoundPassage, KnowledgeSearch, Passage } from '../../src/knowledge/passage';

/**
 * A knowledge base in memory, for tests of the turn: the passages given, searched by the words
 * they share with the query (how many of its words of four letters or more). It stands in for the
 * shared snapshot the workers load, through the same `KnowledgeSearch` interface, and records
 * every query it was asked.
 */
export class MemoryKnowledge implements KnowledgeSearch {
  readonly queries: string[] = [];
  readonly passages: Passage[];

  constructor(passages: Array<Omit<Passage, 'id' | 'source'> & { source?: string }>) {
    this.passages = passages.map((p) => ({
      ...p,
      source: p.source ?? p.url ?? p.titlePath[0] ?? 'test',
      id: createHash('sha256').update(`${p.url}\n${p.text}`).digest('hex').slice(0, 16),
    }));
  }

  get size(): number {
    return this.passages.length;
  }

  search(query: string, limit = 5): Promise<FoundPassage[]> {
    this.queries.push(query);
    const words = new Set(termsOf(query));
    const found = this.passages
      .map((passage) => ({
        passage,
        score: new Set(termsOf(`${passage.titlePath.join(' ')} ${passage.text}`).filter((t) => words.has(t))).size,
      }))
      .filter((hit) => hit.score > 0)
      .sort((a, b) => b.score - a.score)
      .slice(0, limit);
    return Promise.resolve(found);
  }
}

const STOP = new Set(['what', 'your', 'with', 'that', 'this', 'have', 'when', 'does', 'from']);
const termsOf = (text: string) =>
  (text.toLowerCase().match(/[\p{L}\p{N}]{4,}/gu) ?? []).filter((w) => !STOP.has(w)).map((w) => w.replace(/s$/, ''));

/** The demo shop's returns and shipping, as a help centre would put them. */
export const SHOP_PASSAGES = [
  {
    titlePath: ['Shipping & returns', 'Returns'],
    text: '30 days, unworn, with the tags on. Refunds go back to the original payment method within 5 business days of the parcel reaching us.',
    url: 'https://shop.example/returns',
  },
  {
    titlePath: ['Shipping & returns', 'Shipping to Canada'],
    text: 'We ship to Canada in 5 to 8 business days; duties are paid at delivery.',
    url: 'https://shop.example/shipping#canada',
  },
  {
    titlePath: ['Store hours'],
    text: 'The Main Street store is open Monday to Saturday, 10:00 to 19:00, and closed on Sunday.',
    url: undefined,
  },
];
