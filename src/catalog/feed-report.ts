import type { FeedFormat } from './feed-format';
import { cellText, OPTIONAL_COLUMNS, REQUIRED_COLUMNS } from './feed-rows';

/**
 * What reading a feed found, in the terms of Commerce Manager's feed diagnostics: rows read,
 * accepted, rejected by reason (with the first few row numbers of each, to find them in the
 * file), and how many rows left each known column empty.
 */
export interface FeedReport {
  source: string;
  format: FeedFormat;
  rowsRead: number;
  accepted: number;
  rejected: Record<string, { count: number; rows: number[] }>;
  missing: Record<string, number>;
}

const EXAMPLE_ROWS = 5;

export function emptyReport(source: string, format: FeedFormat): FeedReport {
  return { source, format, rowsRead: 0, accepted: 0, rejected: {}, missing: {} };
}

export function countRejection(report: FeedReport, reason: string, row: number): void {
  const entry = (report.rejected[reason] ??= { count: 0, rows: [] });
  entry.count += 1;
  if (entry.rows.length < EXAMPLE_ROWS) entry.rows.push(row);
}

export function countMissing(report: FeedReport, columns: Record<string, unknown>): void {
  for (const name of [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS]) {
    if (cellText(columns[name]) === undefined) {
      report.missing[name] = (report.missing[name] ?? 0) + 1;
    }
  }
}

export function rejectedCount(report: FeedReport): number {
  return Object.values(report.rejected).reduce((sum, entry) => sum + entry.count, 0);
}

/** The report as a person reads it in a terminal (npm run catalog:check). */
export function formatFeedReport(report: FeedReport): string {
  const lines = [
    `Feed: ${report.source} (${report.format.toUpperCase()})`,
    `Rows read:     ${report.rowsRead}`,
    `Accepted:      ${report.accepted}`,
    `Rejected:      ${rejectedCount(report)}`,
  ];
  const reasons = Object.entries(report.rejected).sort((a, b) => b[1].count - a[1].count);
  if (reasons.length > 0) {
    lines.push('', 'Rejected by reason:');
    for (const [reason, entry] of reasons) {
      const more = entry.count > entry.rows.length ? ', ...' : '';
      lines.push(`  ${String(entry.count).padStart(7)}  ${reason} (rows ${entry.rows.join(', ')}${more})`);
    }
  }
  const missing = Object.entries(report.missing).sort((a, b) => b[1] - a[1]);
  if (missing.length > 0) {
    lines.push('', 'Fields missing (rows with the column empty or absent):');
    for (const [name, count] of missing) {
      const kind = (REQUIRED_COLUMNS as readonly string[]).includes(name) ? 'required' : 'optional';
      lines.push(`  ${String(count).padStart(7)}  ${name} (${kind})`);
    }
  }
  return lines.join('\n');
}
