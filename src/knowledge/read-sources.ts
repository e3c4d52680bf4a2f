import type { KnowledgeDocument, SkippedPart } from './document';
import { cutPassages } from './passages';
import type { Passage } from './passage';
import { readLocal } from './read-local';
import type { ReadLimits } from './read-limits';
import { readUrl } from './read-url';

/**
 * KNOWLEDGE_SOURCES read into passages: each source in turn (a path, a folder, an https page or
 * sitemap), every document cut into passages. A source that cannot be read at all is reported in
 * `failedSources`; the caller decides whether what was read is good enough to publish.
 */

export interface SourceReport {
  source: string;
  documents: number;
  passages: number;
  /** why the source as a whole could not be read */
  failed: string | undefined;
}

export interface ReadKnowledge {
  documents: KnowledgeDocument[];
  passages: Passage[];
  skipped: SkippedPart[];
  sources: SourceReport[];
}

export function isUrlSource(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

export async function readKnowledge(sources: readonly string[], limits: ReadLimits): Promise<ReadKnowledge> {
  const out: ReadKnowledge = { documents: [], passages: [], skipped: [], sources: [] };
  const seen = new Set<string>();
  for (const source of sources) {
    try {
      const read = isUrlSource(source) ? await readUrl(source, limits) : await readLocal(source, limits);
      let passages = 0;
      for (const document of read.documents) {
        const cut = cutPassages(document).filter((passage) => !seen.has(passage.id));
        if (cut.length === 0) out.skipped.push({ source: document.source, reason: 'no text found' });
        for (const passage of cut) seen.add(passage.id);
        out.passages.push(...cut);
        passages += cut.length;
      }
      out.documents.push(...read.documents);
      out.skipped.push(...read.skipped);
      out.sources.push({ source, documents: read.documents.length, passages, failed: undefined });
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      out.sources.push({ source, documents: 0, passages: 0, failed: reason });
    }
  }
  return out;
}
