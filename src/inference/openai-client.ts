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
  });
}

/** Whether a failed SDK call is worth retrying later (the shared rule, on the HTTP status if any). */
export function isTransientApiFailure(error: unknown): boolean {
  const status: unknown = error instanceof OpenAI.APIError ? error.status : undefined;
  return isTransientStatus(typeof status === 'number' ? status : undefined);
}
