import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CHECKS, type CheckName, type CheckResult } from './checks';
import type { Judgement } from './judge';
import type { Conversation } from './suite';

/**
 * The report `npm run eval` writes (JSON) and prints (tables): every conversation with its
 * checks and answers, then per mode and backend how many passed each check and how long answers
 * took, and auto mode's routing against the labels (the confusion table).
 */
export interface ConversationResult {
  id: string;
  mode: Conversation['mode'];
  label: Conversation['label'];
  language: Conversation['language'];
  platform: Conversation['platform'];
  /** the mode that answered the last message (auto's choice in auto mode) */
  routed: string | undefined;
  reason: string | undefined;
  passed: boolean;
  checks: CheckResult[];
  answers: Array<{ text: string; parts: number; latencyMs: number | undefined }>;
  judge?: Judgement;
  judgeError?: string;
}

export interface ModeSummary {
  mode: string;
  backend: string;
  conversations: number;
  passed: number;
  /** per check: passed of applicable */
  checks: Partial<Record<CheckName, { passed: number; of: number }>>;
  latencyMs: { p50: number | null; p95: number | null; max: number | null };
  judgeMean: number | null;
}

export interface EvalReport {
  startedAt: string;
  finishedAt: string;
  backend: string;
  /** the model of each mode (null: none, e.g. no router) */
  models: Record<string, string | null>;
  defaultMode: string;
  judge: string | undefined;
  summary: { conversations: number; passed: number; passRate: number };
  byMode: ModeSummary[];
  /** labelled (rows) against routed (columns), over the conversations run in auto mode */
  routing: {
    confusion: Record<'casual' | 'hard', Record<'fast' | 'thinking' | 'other', number>>;
    accuracy: number | null;
    /** how often auto gave each reason (a signal, `router`) */
    reasons: Record<string, number>;
  };
  conversations: ConversationResult[];
}

function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summariseMode(mode: string, backend: string, results: ConversationResult[]): ModeSummary {
  const checks: ModeSummary['checks'] = {};
  for (const name of CHECKS) {
    const applied = results.flatMap((r) => r.checks.filter((c) => c.check === name));
    if (applied.length > 0) checks[name] = { passed: applied.filter((c) => c.passed).length, of: applied.length };
  }
  const latencies = results.flatMap((r) => r.answers.flatMap((a) => (a.latencyMs === undefined ? [] : [a.latencyMs])));
  const scores = results.flatMap((r) => (r.judge ? [r.judge.score] : []));
  return {
    mode,
    backend,
    conversations: results.length,
    passed: results.filter((r) => r.passed).length,
    checks,
    latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), max: percentile(latencies, 100) },
    judgeMean: scores.length ? Number((scores.reduce((a, b) => a + b, 0) / scores.length).toFixed(2)) : null,
  };
}

function routingOf(results: ConversationResult[]): EvalReport['routing'] {
  const row = () => ({ fast: 0, thinking: 0, other: 0 });
  const confusion = { casual: row(), hard: row() };
  const auto = results.filter((r) => r.mode === 'auto');
  for (const r of auto) {
    const column = r.routed === 'fast' || r.routed === 'thinking' ? r.routed : 'other';
    confusion[r.label][column] += 1;
  }
  const right = confusion.casual.fast + confusion.hard.thinking;
  const reasons: Record<string, number> = {};
  for (const r of auto) reasons[r.reason ?? 'none'] = (reasons[r.reason ?? 'none'] ?? 0) + 1;
  return { confusion, accuracy: auto.length ? Number((right / auto.length).toFixed(4)) : null, reasons };
}

export function summarise(
  results: ConversationResult[],
  meta: Pick<EvalReport, 'backend' | 'models' | 'defaultMode' | 'judge'> & { startedAt: Date },
): EvalReport {
  const modes = [...new Set(results.map((r) => r.mode))];
  const passed = results.filter((r) => r.passed).length;
  return {
    startedAt: meta.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    backend: meta.backend,
    models: meta.models,
    defaultMode: meta.defaultMode,
    judge: meta.judge,
    summary: {
      conversations: results.length,
      passed,
      passRate: results.length ? Number((passed / results.length).toFixed(4)) : 0,
    },
    byMode: modes.map((mode) =>
      summariseMode(
        mode,
        meta.backend,
        results.filter((r) => r.mode === mode),
      ),
    ),
    routing: routingOf(results),
    conversations: results,
  };
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows
    .map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '))
    .join('\n');
}

/** The tables a person reads at the end of a run. */
export function formatReport(report: EvalReport): string {
  const used = CHECKS.filter((name) => report.byMode.some((m) => m.checks[name]));
  const ms = (value: number | null) => (value === null ? '-' : String(Math.round(value)));
  const modeRows = report.byMode.map((m) => [
    m.mode,
    m.backend,
    `${m.passed}/${m.conversations}`,
    ...used.map((name) => (m.checks[name] ? `${m.checks[name].passed}/${m.checks[name].of}` : '-')),
    ms(m.latencyMs.p50),
    ms(m.latencyMs.p95),
    ...(report.judge ? [m.judgeMean === null ? '-' : String(m.judgeMean)] : []),
  ]);
  const header = ['mode', 'backend', 'passed', ...used, 'p50 ms', 'p95 ms', ...(report.judge ? ['judge'] : [])];
  const { confusion, accuracy } = report.routing;
  const routing = table([
    ['labelled \\ routed', 'fast', 'thinking', 'other'],
    ...(['casual', 'hard'] as const).map((label) => [
      label,
      String(confusion[label].fast),
      String(confusion[label].thinking),
      String(confusion[label].other),
    ]),
  ]);
  const { summary } = report;
  return [
    `Threadline eval: ${summary.passed}/${summary.conversations} conversations passed every check (${(summary.passRate * 100).toFixed(1)} %)`,
    `backend ${report.backend}; default mode ${report.defaultMode}; models ${Object.entries(report.models)
      .map(([k, v]) => `${k}=${v ?? '-'}`)
      .join(' ')}`,
    '',
    table([header, ...modeRows]),
    '',
    `auto mode's routing (accuracy ${accuracy === null ? '-' : `${(accuracy * 100).toFixed(1)} %`}):`,
    routing,
  ].join('\n');
}

/** Writes the report as JSON at `path` (EVAL_REPORT), making its folder if needed. */
export function writeReport(path: string, report: EvalReport): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}
