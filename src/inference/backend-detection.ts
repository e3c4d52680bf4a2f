import type { LlmProvider } from '../../config';

/**
 * Which backend a server is, where it says so itself: hosted APIs by their address, local
 * servers by what they put in every answer (Ollama's `fp_ollama` fingerprint, llama.cpp's
 * `timings` and `Server: llama.cpp` header, vLLM's `stop_reason` beside `finish_reason`, Groq's
 * `x_groq`, DeepSeek's cache counters, OpenRouter's `provider`). Used only while LLM_PROVIDER is
 * unset; an operator who names a preset (or `generic`) gets exactly that.
 */

const HOSTS: Array<[RegExp, LlmProvider]> = [
  [/(^|\.)api\.openai\.com$/, 'openai'],
  [/(^|\.)api\.groq\.com$/, 'groq'],
  [/(^|\.)openrouter\.ai$/, 'openrouter'],
  [/(^|\.)api\.deepseek\.com$/, 'deepseek'],
  [/^generativelanguage\.googleapis\.com$/, 'gemini'],
];

/** The backend a base URL names, if it is a known hosted API or Ollama's default port. */
export function providerFromUrl(baseUrl: string | undefined): LlmProvider | undefined {
  if (!baseUrl) return undefined;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return undefined;
  }
  const hosted = HOSTS.find(([host]) => host.test(url.hostname));
  if (hosted) return hosted[1];
  return url.port === '11434' ? 'ollama' : undefined;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;

/** The backend a completion (and its response headers) identifies, if any. */
export function providerFromResponse(body: unknown, headers?: Headers): LlmProvider | undefined {
  if (headers?.get('server')?.toLowerCase().startsWith('llama.cpp')) return 'llamacpp';
  if (!isObject(body)) return undefined;
  if (body.system_fingerprint === 'fp_ollama') return 'ollama';
  if (isObject(body.timings)) return 'llamacpp';
  if (isObject(body.x_groq)) return 'groq';
  if (isObject(body.usage) && 'prompt_cache_hit_tokens' in body.usage) return 'deepseek';
  if (typeof body.provider === 'string' && typeof body.id === 'string' && body.id.startsWith('gen-')) {
    return 'openrouter';
  }
  const choice = Array.isArray(body.choices) && isObject(body.choices[0]) ? body.choices[0] : undefined;
  if (choice && 'stop_reason' in choice && 'finish_reason' in choice) return 'vllm';
  return undefined;
}
