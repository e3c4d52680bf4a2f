import type { LlmProvider } from '../../config';

/**
 * What each OpenAI-compatible backend needs to be spoken to well (LLM_PROVIDER; docs/backends.md
 * has the table): how a fast turn turns reasoning off and a reasoning turn turns it on, which
 * field limits the answer's tokens, and what it accepts. Each preset names the backend's own
 * documentation it follows. Reasoning text is never shown, wherever it comes back (a field such
 * as `reasoning_content` or `reasoning`, or tags inside the content): reasoning-text.ts strips it
 * the same way for every backend.
 */

export type ReasoningEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high';

export interface BackendPreset {
  provider: LlmProvider;
  /** request fields for a turn with reasoning off (fast) or on (thinking), at the configured effort */
  reasoningSwitch(on: boolean, effort: ReasoningEffort | undefined): Record<string, unknown>;
  /** `auto`: `max_completion_tokens` when the switch sends `reasoning_effort`, else `max_tokens` */
  tokenLimit: 'max_tokens' | 'max_completion_tokens' | 'auto';
  /** message fields the backend puts reasoning in (read for nothing but knowing it reasoned) */
  reasoningFields: readonly string[];
  images: boolean;
  tools: boolean;
  responseFormat: boolean;
  /** function tools are sent with `strict: true` (their schemas are written to strict mode's rules) */
  strictTools: boolean;
  /** an assistant message with tool calls must carry its `reasoning_content` back */
  echoReasoningWithToolCalls: boolean;
}

const REASONING_FIELDS = ['reasoning_content', 'reasoning'] as const;

/** The effort a reasoning turn asks for when the operator set none (LLM_REASONING_EFFORT_THINKING). */
const DEFAULT_EFFORT = 'medium';

/** `none` configured for a reasoning mode means that mode should not reason either. */
const wantsReasoning = (on: boolean, effort: ReasoningEffort | undefined) => on && effort !== 'none';

const withEffort = (effort: ReasoningEffort | undefined) => (effort ? { reasoning_effort: effort } : {});

const base = {
  reasoningFields: REASONING_FIELDS,
  images: true,
  tools: true,
  responseFormat: true,
  strictTools: false,
  echoReasoningWithToolCalls: false,
} satisfies Partial<BackendPreset>;

export const BACKEND_PRESETS: Record<LlmProvider, BackendPreset> = {
  // https://platform.openai.com/docs/api-reference/chat/create (reasoning_effort, max_completion_tokens)
  // and https://platform.openai.com/docs/guides/function-calling#strict-mode. Models older than
  // gpt-5.1 refuse `none`, and non-reasoning models refuse the field: chat-call.ts then drops it.
  openai: {
    ...base,
    provider: 'openai',
    reasoningSwitch: (on, effort) => ({
      reasoning_effort: wantsReasoning(on, effort) ? (effort ?? DEFAULT_EFFORT) : 'none',
    }),
    tokenLimit: 'max_completion_tokens',
    strictTools: true,
  },
  // https://docs.ollama.com/api/openai-compatibility: `reasoning_effort` high|medium|low|none on
  // /v1 (`think` is the native API's switch); reasoning comes back in `message.reasoning`
  // (openai/openai.go); images only as base64 data URLs, which is how photos are sent.
  ollama: {
    ...base,
    provider: 'ollama',
    reasoningSwitch: (on, effort) => ({
      reasoning_effort: wantsReasoning(on, effort)
        ? effort === 'minimal'
          ? 'low'
          : (effort ?? DEFAULT_EFFORT)
        : 'none',
    }),
    tokenLimit: 'max_tokens',
  },
  // https://docs.vllm.ai/en/stable/features/reasoning_outputs/: Qwen3 and Gemma 4 templates take
  // `chat_template_kwargs.enable_thinking`; reasoning comes back in `reasoning` (formerly
  // `reasoning_content`); `max_tokens` is deprecated for `max_completion_tokens`.
  vllm: {
    ...base,
    provider: 'vllm',
    reasoningSwitch: (on, effort) =>
      wantsReasoning(on, effort)
        ? { chat_template_kwargs: { enable_thinking: true }, ...withEffort(effort) }
        : { chat_template_kwargs: { enable_thinking: false } },
    tokenLimit: 'max_completion_tokens',
  },
  // https://github.com/ggml-org/llama.cpp/blob/master/tools/server/README.md: `chat_template_kwargs`,
  // `reasoning_effort` ("If none, reasoning/thinking is disabled"), `reasoning_format: deepseek`
  // (reasoning in `reasoning_content`, not in the content); `max_completion_tokens` was ignored
  // by builds before 2026-02, so `max_tokens`.
  llamacpp: {
    ...base,
    provider: 'llamacpp',
    reasoningSwitch: (on, effort) =>
      wantsReasoning(on, effort)
        ? { chat_template_kwargs: { enable_thinking: true }, reasoning_format: 'deepseek', ...withEffort(effort) }
        : { chat_template_kwargs: { enable_thinking: false }, reasoning_format: 'deepseek', reasoning_effort: 'none' },
    tokenLimit: 'max_tokens',
  },
  // https://console.groq.com/docs/reasoning: `reasoning_effort` none (Qwen3) or low|medium|high
  // (gpt-oss); `include_reasoning: false` keeps reasoning out of the answer (Qwen3 otherwise
  // defaults to <think> tags in the content); `max_tokens` is deprecated.
  groq: {
    ...base,
    provider: 'groq',
    reasoningSwitch: (on, effort) =>
      wantsReasoning(on, effort)
        ? { include_reasoning: false, ...withEffort(effort) }
        : { reasoning_effort: 'none', include_reasoning: false },
    tokenLimit: 'max_completion_tokens',
  },
  // https://openrouter.ai/docs/use-cases/reasoning-tokens: the unified `reasoning` object
  // (`effort`, `exclude`); reasoning comes back in `message.reasoning`.
  openrouter: {
    ...base,
    provider: 'openrouter',
    reasoningSwitch: (on, effort) => ({
      reasoning: { effort: wantsReasoning(on, effort) ? (effort ?? DEFAULT_EFFORT) : 'none', exclude: true },
    }),
    tokenLimit: 'max_tokens',
  },
  // https://api-docs.deepseek.com/guides/thinking_mode: `thinking: {type}` (on by default) and
  // `reasoning_effort` low|high|max; reasoning in `reasoning_content`, which a thinking turn's
  // tool-call message must carry back. No image input.
  deepseek: {
    ...base,
    provider: 'deepseek',
    reasoningSwitch: (on, effort) =>
      wantsReasoning(on, effort)
        ? {
            thinking: { type: 'enabled' },
            ...(effort ? { reasoning_effort: effort === 'minimal' || effort === 'low' ? 'low' : 'high' } : {}),
          }
        : { thinking: { type: 'disabled' } },
    tokenLimit: 'max_tokens',
    images: false,
    echoReasoningWithToolCalls: true,
  },
  // https://ai.google.dev/gemini-api/docs/openai: `reasoning_effort` low|medium|high, `none` to
  // turn thinking off (Flash models); errors come as a JSON array (openai-client.ts unwraps it).
  gemini: {
    ...base,
    provider: 'gemini',
    reasoningSwitch: (on, effort) => ({
      reasoning_effort: wantsReasoning(on, effort)
        ? effort === 'minimal'
          ? 'low'
          : (effort ?? DEFAULT_EFFORT)
        : 'none',
    }),
    tokenLimit: 'max_tokens',
  },
  // Any other OpenAI-compatible server: only what the operator configured is sent.
  generic: {
    ...base,
    provider: 'generic',
    reasoningSwitch: (_on, effort) => withEffort(effort),
    tokenLimit: 'auto',
  },
};

/** The token-limit field for a request that carries `fields` (the reasoning switch). */
export function tokenLimitField(preset: BackendPreset, fields: Record<string, unknown>): string {
  if (preset.tokenLimit !== 'auto') return preset.tokenLimit;
  return 'reasoning_effort' in fields ? 'max_completion_tokens' : 'max_tokens';
}
