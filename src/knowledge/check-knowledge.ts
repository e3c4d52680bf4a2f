import { knowledgeCheckSettings } from '../../config/env-knowledge';
import { readLimitsFrom } from './knowledge-setup';
import { readKnowledge, type ReadKnowledge } from './read-sources';

/**
 * `npm run knowledge:check <source> [...]`: reads sources exactly as the workers do (same
 * extraction, ceilings and download rules) and prints what came of them: each document with its
 * passages (title path, length, link), then every part skipped and why. Exit code 0 when there is
 * at least one passage, 1 when nothing usable was read, 2 on wrong usage.
 */

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;

export function formatKnowledgeReport(read: ReadKnowledge): string {
  const lines: string[] = [];
  for (const source of read.sources) {
    lines.push(
      source.failed
        ? `${source.source}: not read: ${source.failed}`
        : `${source.source}: ${source.documents} documents, ${source.passages} passages`,
    );
  }
  for (const document of read.documents) {
    const passages = read.passages.filter((passage) => passage.source === document.source);
    lines.push('', `${document.source} — "${document.title}": ${passages.length} passages`);
    passages.forEach((passage, i) => {
      const link = passage.url ? `  ${passage.url}` : '';
      lines.push(`  ${i + 1}. ${passage.titlePath.join(' › ')} (${words(passage.text)} words)${link}`);
    });
  }
  lines.push('', read.skipped.length === 0 ? 'Nothing skipped.' : `Skipped (${read.skipped.length}):`);
  for (const part of read.skipped) lines.push(`  ${part.source}: ${part.reason}`);
  const total = `${read.documents.length} documents, ${read.passages.length} passages, ${read.skipped.length} skipped`;
  lines.push('', `Total: ${total}`);
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  if (argv.length === 0) {
    process.stderr.write('usage: npm run knowledge:check <file, folder, https URL or sitemap.xml> [...]\n');
    return 2;
  }
  const settings = knowledgeCheckSettings(argv);
  const read = await readKnowledge(settings.sources, readLimitsFrom(settings));
  process.stdout.write(`${formatKnowledgeReport(read)}\n`);
  if (read.passages.length > 0) return 0;
  process.stderr.write('\nNothing usable was read from these sources.\n');
  return 1;
}

if (require.main === module) void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
