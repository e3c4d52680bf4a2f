import OpenAI from 'openai';
import { isTransientStatus } from '../core/transient-failure';

/**
 * What a failed model call means for the next try, read from the status and the error body each
 * backend sends (docs/backends.md, "Errors"): rate limited (and for how long), the conversation
 * too long for the model's context, a request field the server refuses (a reasoning switch the
 * model does not know), worth trying later, or refused for good.
 */
export type ModelFailure =
  | { kind: 'rate-limited'; retryAfterMs: number | undefined }
  | { kind: 'context-overflow' }
  | { kind: 'request-refused'; text: string }
  | { kind: 'transient' };

// OpenAI and Groq `context_length_exceeded`, llama.cpp `exceed_context_size_error`, vLLM's and
// DeepSeek's "maximum context length", Gemini's "exceeds the maximum number of tokens allowed".
const CONTEXT_OVERFLOW =
  /context[_ ]length|context[_ ]size|context window|maximum context|maximum number of tokens allowed|reduce the length of the messages/i;

type ErrorBody = { message?: unknown; code?: unknown; type?: unknown; param?: unknown; details?: unknown };

export function modelFailure(error: unknown): ModelFailure {
  if (!(error instanceof OpenAI.APIError)) return { kind: 'transient' };
  const status = error.status as number | undefined;
  const headers = error.headers as Headers | undefined;
  if (status === undefined) return { kind: 'transient' };
  const body = (typeof error.error === 'object' && error.error !== null ? error.error : {}) as ErrorBody;
  const text = [error.message, body.code, body.type, body.param].filter((part) => typeof part === 'string').join(' ');
  if (status === 429) return { kind: 'rate-limited', retryAfterMs: retryAfterMs(headers, body) };
  if ([400, 413, 422, 500].includes(status) && CONTEXT_OVERFLOW.test(text)) return { kind: 'context-overflow' };
  if (isTransientStatus(status)) return { kind: 'transient' };
  return { kind: 'request-refused', text };
}

/** `retry-after-ms`, `retry-after` (seconds or a date), or a Google error's `RetryInfo.retryDelay`. */
function retryAfterMs(headers: Headers | undefined, body: ErrorBody): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms >= 0 && headers?.get('retry-after-ms')) return ms;
  const after = headers?.get('retry-after');
  if (after) {
    const seconds = Number(after);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
    const date = Date.parse(after);
    if (!Number.isNaN(date)) return Math.max(0, date - Date.now());
  }
  const delay = Array.isArray(body.details)
    ? (body.details as Array<{ retryDelay?: unknown }>).find((detail) => typeof detail.retryDelay === 'string')
    : undefined;
  const seconds = typeof delay?.retryDelay === 'string' ? Number.parseFloat(delay.retryDelay) : Number.NaN;
  return Number.isFinite(seconds) ? seconds * 1000 : undefined;
}
