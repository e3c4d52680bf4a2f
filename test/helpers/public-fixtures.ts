import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/**
 * The real webhook payloads other projects recorded, vendored in test/fixtures/public (sources,
 * licences and commits in its PROVENANCE.md) so a clone tests itself with nothing beside it:
 * every JSON fixture file's named payloads, and every ```json block of the sample-messages
 * markdown files (named by the heading above it).
 */
export const PUBLIC_FIXTURES_DIR = path.resolve(__dirname, '..', 'fixtures', 'public');

export interface PublicFixture {
  name: string;
  payload: unknown;
}

function isDelivery(value: unknown): value is { object: string } {
  return typeof value === 'object' && value !== null && typeof (value as { object?: unknown }).object === 'string';
}

function fromJsonFile(folder: string, file: string): PublicFixture[] {
  const content = JSON.parse(readFileSync(path.join(PUBLIC_FIXTURES_DIR, folder, file), 'utf8')) as Record<
    string,
    unknown
  >;
  return Object.entries(content)
    .filter(([, payload]) => isDelivery(payload))
    .map(([key, payload]) => ({ name: `${folder}/${file}#${key}`, payload }));
}

function fromMarkdownFile(folder: string, file: string): PublicFixture[] {
  const text = readFileSync(path.join(PUBLIC_FIXTURES_DIR, folder, file), 'utf8');
  const fixtures: PublicFixture[] = [];
  let heading = '';
  const blocks = text.split('\n');
  for (let i = 0; i < blocks.length; i += 1) {
    const line = blocks[i]!;
    if (line.startsWith('## ')) heading = line.slice(3).trim();
    if (line.trim() === '```json') {
      const end = blocks.indexOf('```', i + 1);
      const payload: unknown = JSON.parse(blocks.slice(i + 1, end).join('\n'));
      if (isDelivery(payload)) fixtures.push({ name: `${folder}/${file}#${heading}`, payload });
      i = end;
    }
  }
  return fixtures;
}

export function loadPublicFixtures(): PublicFixture[] {
  const fixtures: PublicFixture[] = [];
  for (const folder of readdirSync(PUBLIC_FIXTURES_DIR, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const file of readdirSync(path.join(PUBLIC_FIXTURES_DIR, folder.name)).sort()) {
      if (file.endsWith('.json')) fixtures.push(...fromJsonFile(folder.name, file));
      if (file.endsWith('.md')) fixtures.push(...fromMarkdownFile(folder.name, file));
    }
  }
  return fixtures;
}
