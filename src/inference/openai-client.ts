import { isTransientStatus } from '../core/transient-failure';
import OpenAI from 'openai';

export interface OpenAiClientOptions {
  baseUrl: string;
  apiKey: string | undefined;
  timeoutMs: number;
}

/**
 * An `openai` SDK client for any OpenAI-compatible server. Its own retries are off: the turn job
 * (BullMQ) decides what is retried.
 */
export function createOpenAiClient(options: OpenAiClientOptions): OpenAI {
  return new OpenAI({
    baseURL: options.baseUrl,
    // Local servers (Ollama, llama.cpp) need no key, but the SDK insists on one.
    apiKey: options.apiKey ?? 'no-key',
    timeout: options.timeoutMs,
    maxRetries: 0,
    fetch: errorsUnwrapped,
  });
}

/**
 * Error bodies in the shape the SDK reads (`{"error": {...}}`): Gemini's compatible endpoint wraps
 * it in a JSON array (`[{"error": {...}}]`), and vLLM before 0.10 sent the error object itself
 * (`{"object": "error", "message": ...}`), so a failed response's body is reshaped before the
 * SDK sees it; without this the message (and a context-length error in it) would be lost.
 * Successful responses pass untouched.
 */
async function errorsUnwrapped(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, init);
  if (response.ok) return response;
  const text = await response.text();
  let body = text;
  try {
    const parsed: unknown = JSON.parse(text);
    const first: unknown = Array.isArray(parsed) ? parsed[0] : undefined;
    if (typeof first === 'object' && first !== null && 'error' in first) body = JSON.stringify(first);
    else if (typeof parsed === 'object' && parsed !== null && !('error' in parsed) && 'message' in parsed) {
      body = JSON.stringify({ error: parsed });
    }
  } catch {
    // not JSON: the SDK reports the text as it is
  }
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  headers.delete('content-encoding');
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

/** Whether a failed SDK call is worth retrying later (the shared rule, on the HTTP status if any). */
export function isTransientApiFailure(error: unknown): boolean {
  const status: unknown = error instanceof OpenAI.APIError ? error.status : undefined;
  return isTransientStatus(typeof status === 'number' ? status : undefined);
}
