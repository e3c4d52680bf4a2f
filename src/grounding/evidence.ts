import type { Citation } from '../core/citation';
import type { FoundPassage } from '../knowledge/passage';
import type { WebResult } from './web-search';

/**
 * What one answer was given to answer from: passages of the business's knowledge and results
 * from the open web, each under a short reference the model cites ([K1], [W1]). One ledger per
 * turn, shared by every model call of the turn (tool rounds, contemplating's drafts), so a
 * reference means the same thing in every call and in the answer.
 */

export interface Evidence {
  /** `K1`, `K2` … for knowledge, `W1` … for the web */
  ref: string;
  kind: 'knowledge' | 'web';
  /** the headings above a passage, outermost first; a web result's page title */
  titlePath: readonly string[];
  text: string;
  url: string | undefined;
  /** the passage's id, or the web result's URL: the same thing found twice is one entry */
  key: string;
}

const GIST_CHARS = 60;

/** The first sentence (or clause) of a text, cut on a word boundary. */
export function gistOf(text: string): string {
  const first = /^(.+?[.!?])(\s|$)/s.exec(text.trim())?.[1] ?? text.trim();
  const plain = first.replace(/\s+/g, ' ').replace(/[.!?]$/, '');
  if (plain.length <= GIST_CHARS) return plain;
  const cut = plain.slice(0, GIST_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${(space > 20 ? cut.slice(0, space) : cut).replace(/[,;:]$/, '')}…`;
}

/** The citation the person sees for a piece of evidence. */
export function citationOf(evidence: Evidence): Citation {
  const path = evidence.titlePath;
  const gist = gistOf(evidence.text);
  if (evidence.kind === 'web') return { label: gist, source: path[0] ?? '', url: evidence.url, web: true };
  const section = path.length > 1 ? path[path.length - 1] : undefined;
  return { label: section ? `${section}: ${gist}` : gist, source: path[0] ?? '', url: evidence.url, web: false };
}

export class EvidenceLedger {
  private readonly entries: Evidence[] = [];
  /** searches run this turn, in words, for /why */
  readonly searches: Array<{ kind: 'knowledge' | 'web'; query: string }> = [];

  /** Adds passages (each once) and returns them as evidence, with their references. */
  addPassages(found: FoundPassage[]): Evidence[] {
    return found.map(({ passage }) =>
      this.add('knowledge', passage.id, { titlePath: passage.titlePath, text: passage.text, url: passage.url }),
    );
  }

  addWebResults(results: WebResult[]): Evidence[] {
    return results.map((result) =>
      this.add('web', result.url, { titlePath: [result.title], text: result.snippet, url: result.url }),
    );
  }

  get all(): readonly Evidence[] {
    return this.entries;
  }

  byRef(ref: string): Evidence | undefined {
    return this.entries.find((entry) => entry.ref === ref.toUpperCase());
  }

  private add(kind: Evidence['kind'], key: string, found: Pick<Evidence, 'titlePath' | 'text' | 'url'>): Evidence {
    const known = this.entries.find((entry) => entry.kind === kind && entry.key === key);
    if (known) return known;
    const count = this.entries.filter((entry) => entry.kind === kind).length;
    const entry: Evidence = { ref: `${kind === 'web' ? 'W' : 'K'}${count + 1}`, kind, key, ...found };
    this.entries.push(entry);
    return entry;
  }
}
