import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { MemoryKnowledge } from './memory-knowledge';

/**
 * The sandbox's demo help centre as passages, cut the simplest way (one passage per `##`
 * section, under the page's front-matter title), for tests of the turn that should not wait on
 * the real reader: the files are the same ones the sandbox configures as KNOWLEDGE_SOURCES.
 */
export const HELP_CENTRE = path.join(__dirname, '..', '..', 'sandbox', 'help-centre');

export function helpCentreKnowledge(): MemoryKnowledge {
  const passages = readdirSync(HELP_CENTRE)
    .filter((name) => name.endsWith('.md'))
    .flatMap((name) => {
      const markdown = readFileSync(path.join(HELP_CENTRE, name), 'utf8');
      const title = /^title:\s*(.+)$/m.exec(markdown)?.[1]?.trim() ?? name;
      return markdown
        .split(/^## /m)
        .slice(1)
        .map((section) => {
          const [heading, ...body] = section.split('\n');
          const text = body.join(' ').replace(/\s+/g, ' ').trim();
          return { titlePath: [title, heading!.trim()], text, url: undefined, source: name };
        });
    });
  return new MemoryKnowledge(passages);
}
