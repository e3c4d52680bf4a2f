import type { z } from 'zod';
import type { SkipReport } from './adapter';

/**
 * Reading a delivery part by part, so one malformed part costs only itself: each message and each
 * attachment is parsed on its own, and a field the bot can live without is dropped when malformed
 * instead of failing its message. Every part left out is reported with a path and a reason made
 * from the schema (field names and expected types), never from the values.
 */

/** An optional field that becomes undefined, rather than an error, when it has the wrong form. */
export const tolerant = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

/** Why a parse failed, from the schema's side only. */
export function issueSummary(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const where = issue.path.map(String).join('.') || '(whole)';
      return `${where}: ${issue.code === 'invalid_type' ? `expected ${issue.expected}` : issue.code}`;
    })
    .join('; ');
}

/** `schema` applied to `raw`; undefined (reported as `element`) when it does not fit. */
export function readPart<S extends z.ZodType>(
  schema: S,
  raw: unknown,
  element: string,
  skipped: SkipReport,
): z.output<S> | undefined {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  skipped({ element, reason: issueSummary(result.error) });
  return undefined;
}

/** Reports each of `fields` that `raw` carried but the tolerant parse had to drop. */
export function reportDroppedFields(
  raw: unknown,
  parsed: object,
  fields: readonly string[],
  element: string,
  skipped: SkipReport,
): void {
  if (typeof raw !== 'object' || raw === null) return;
  for (const field of fields) {
    const given = (raw as Record<string, unknown>)[field];
    if (given !== undefined && given !== null && (parsed as Record<string, unknown>)[field] === undefined) {
      skipped({ element: `${element}.${field}`, reason: 'unexpected form: field ignored' });
    }
  }
}

/**
 * A platform's own name for a kind of content (`video`, `story_mention`), if it looks like one;
 * anything else is `unknown`, so a stranger's string never travels on into logs and replies.
 */
export function kindName(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return /^[a-z][a-z0-9_]{0,31}$/.test(value) ? value : 'unknown';
}

/** Milliseconds since the epoch from a platform's stamp, or the arrival time (reported) when unusable. */
export function stampOrArrival(ms: number | undefined, given: unknown, element: string, skipped: SkipReport): number {
  if (ms !== undefined && Number.isSafeInteger(ms) && ms > 0) return ms;
  skipped({
    element,
    reason: given === undefined ? 'timestamp missing: arrival time used' : 'timestamp unusable: arrival time used',
  });
  return Date.now();
}

export const ignoreSkips: SkipReport = () => undefined;
