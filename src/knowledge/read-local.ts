import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ReadDocuments } from './document';
import { extractDocument, FORMAT_OF_EXTENSION } from './extract';
import type { ReadLimits } from './read-limits';

/**
 * A local file, or every file of a known format under a folder (hidden files and folders left
 * out). Each document's source is its path relative to the configured folder (the file's name
 * for a single file); local documents have no URL to open.
 */

async function filesUnder(folder: string, out: string[], skipped: ReadDocuments['skipped']): Promise<void> {
  const entries = await readdir(folder, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) await filesUnder(full, out, skipped);
    else if (entry.isFile()) out.push(full);
    else skipped.push({ source: full, reason: 'not a regular file' });
  }
}

async function readOneFile(file: string, source: string, limits: ReadLimits, result: ReadDocuments): Promise<void> {
  const format = FORMAT_OF_EXTENSION[path.extname(file).toLowerCase()];
  if (!format) {
    result.skipped.push({ source, reason: `not a format read here (${path.extname(file) || 'no extension'})` });
    return;
  }
  const { size } = await stat(file);
  if (size > limits.maxBytes) {
    result.skipped.push({ source, reason: `${size} bytes, over KNOWLEDGE_MAX_BYTES (${limits.maxBytes})` });
    return;
  }
  try {
    const extracted = await extractDocument(await readFile(file), format, { source, url: undefined }, limits.child);
    result.skipped.push(...extracted.skipped);
    if (extracted.document) result.documents.push(extracted.document);
  } catch (error) {
    result.skipped.push({ source, reason: error instanceof Error ? error.message : String(error) });
  }
}

export async function readLocal(location: string, limits: ReadLimits): Promise<ReadDocuments> {
  const result: ReadDocuments = { documents: [], skipped: [] };
  const info = await stat(location);
  if (!info.isDirectory()) {
    await readOneFile(location, path.basename(location), limits, result);
    return result;
  }
  const files: string[] = [];
  await filesUnder(location, files, result.skipped);
  for (const file of files) await readOneFile(file, path.relative(location, file), limits, result);
  return result;
}
