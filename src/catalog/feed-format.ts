import { Readable } from 'node:stream';
import { parse as parseCsv } from 'csv-parse';

/**
 * Reading the bytes of a product feed into raw rows (column name → text), before any validation.
 * Meta's feed formats are delimited text (CSV, TSV) with a header row of Meta's column names; we
 * also read JSON (an array of such objects, or `{ "data": [...] }`) and NDJSON (one object a line).
 * Delimited text goes through csv-parse's streaming parser, so a large feed is read in chunks and
 * never holds the event loop for long.
 */

export type FeedFormat = 'csv' | 'tsv' | 'json' | 'ndjson';

/** One row as read: its 1-based position in the feed, and its columns, or why it could not be read. */
export type RawRow =
  { row: number; columns: Record<string, unknown> } | { row: number; unreadable: string; columns?: undefined };

/** From the file name first (`.csv`, `.tsv`, `.json`, `.ndjson`/`.jsonl`), else from the content. */
export function detectFeedFormat(location: string, text: string): FeedFormat {
  const extension = /\.([a-z]+)(?:\.gz)?$/i.exec(location.split(/[?#]/)[0] ?? '')?.[1]?.toLowerCase();
  if (extension === 'csv' || extension === 'tsv' || extension === 'json' || extension === 'ndjson') return extension;
  if (extension === 'jsonl') return 'ndjson';
  if (extension === 'txt' || extension === 'tab') return 'tsv';
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('[')) return 'json';
  if (start.startsWith('{')) return looksLikeNdjson(start) ? 'ndjson' : 'json';
  const header = start.split(/\r?\n/, 1)[0] ?? '';
  return (header.match(/\t/g)?.length ?? 0) > (header.match(/,/g)?.length ?? 0) ? 'tsv' : 'csv';
}

function looksLikeNdjson(text: string): boolean {
  const lines = text.split(/\r?\n/, 3).filter((line) => line.trim() !== '');
  if (lines.length < 2) return false;
  try {
    JSON.parse(lines[0]!);
    return true;
  } catch {
    return false;
  }
}

export async function* readFeedRows(text: string, format: FeedFormat): AsyncGenerator<RawRow> {
  if (format === 'csv' || format === 'tsv') yield* readDelimitedRows(text, format === 'tsv' ? '\t' : ',');
  else if (format === 'json') yield* readJsonRows(text);
  else yield* readNdjsonRows(text);
}

/** Header names as Meta writes them, compared without case or surrounding space. */
const columnName = (name: string) =>
  name
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase();

async function* readDelimitedRows(text: string, delimiter: string): AsyncGenerator<RawRow> {
  const parser = parseCsv({
    delimiter,
    bom: true,
    // TSV feeds are usually unquoted and may carry literal quote characters in titles.
    quote: delimiter === '\t' ? false : '"',
    relax_column_count: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    info: true,
  });
  const skipped: Array<{ row: number; reason: string }> = [];
  parser.on('skip', (error: Error & { lines?: number }) => {
    skipped.push({ row: error.lines ?? 0, reason: `malformed row: ${error.message.split(':')[0] ?? 'parse error'}` });
  });
  Readable.from(inPieces(text)).pipe(parser);
  let header: string[] | undefined;
  for await (const record of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    while (skipped.length > 0) {
      const bad = skipped.shift()!;
      yield { row: bad.row, unreadable: bad.reason };
    }
    if (!header) {
      header = record.record.map(columnName);
      continue;
    }
    const row = record.info.lines;
    if (record.record.length !== header.length) {
      yield { row, unreadable: `wrong number of columns (${record.record.length}, header has ${header.length})` };
      continue;
    }
    const columns: Record<string, unknown> = {};
    header.forEach((name, i) => (columns[name] = record.record[i]));
    yield { row, columns };
  }
  for (const bad of skipped) yield { row: bad.row, unreadable: bad.reason };
}

/** Fed to the parser 64 KB at a time: one huge write would parse the whole feed in one go. */
function* inPieces(text: string): Generator<string> {
  for (let start = 0; start < text.length; start += 65_536) yield text.slice(start, start + 65_536);
}

function* readJsonRows(text: string): Generator<RawRow> {
  const parsed: unknown = JSON.parse(text.replace(/^\uFEFF/, ''));
  const list = Array.isArray(parsed) ? parsed : listInside(parsed);
  if (!list) throw new SyntaxError('a JSON feed must be an array of products or { "data": [...] }');
  for (const [i, item] of list.entries()) yield asRow(i + 1, item);
}

function listInside(value: unknown): unknown[] | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const list = record.data ?? record.products ?? record.items;
  return Array.isArray(list) ? list : undefined;
}

async function* readNdjsonRows(text: string): AsyncGenerator<RawRow> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    if (line.trim() === '') continue;
    try {
      yield asRow(i + 1, JSON.parse(line));
    } catch {
      yield { row: i + 1, unreadable: 'malformed row: not JSON' };
    }
    // Yield the event loop now and then: a large feed must not hold up turns.
    if (i % 2000 === 1999) await new Promise((resolve) => setImmediate(resolve));
  }
}

function asRow(row: number, item: unknown): RawRow {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    return { row, unreadable: 'malformed row: not an object' };
  }
  const columns: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(item)) columns[columnName(key)] = value;
  return { row, columns };
}
