import { toSdkMessage, type ChatMessage } from './chat-message';
import { ModelRejectedError, ModelUnavailableError } from './errors';
import type { Mode } from '../core/modes';
import { createOpenAiClient, isTransientApiFailure, type OpenAiClientOptions } from './openai-client';
import { converse, type ToolChatReply, type ToolChatRequest } from './tool-chat';

/**
 * The model behind the answers, reached through any OpenAI-compatible `/chat/completions` API
 * (OpenAI, Ollama, vLLM, llama.cpp, Groq, ...). We use the `openai` SDK rather than raw HTTP: it
 * tracks the API's shapes, handles timeouts and aborts, and is what the compatible servers test
 * against. Retries are left to the turn job (BullMQ), so the SDK's own retries are off.
 */

export type { ChatContentPart, ChatMessage } from './chat-message';

export interface ChatRequest {
  /** the mode asking: a label on the call's metrics */
  mode: Mode;
  model: string;
  messages: ChatMessage[];
  maxTokens: number;
  signal?: AbortSignal;
  /** overrides the client's timeout for this call (reasoning modes take longer) */
  timeoutMs?: number;
  /** sent as `reasoning_effort` when set (OpenAI reasoning models and compatible servers) */
  reasoningEffort?: 'none' | 'minimal' | 'low' | 'medium' | 'high';
}

export interface ChatAnswer {
  text: string;
  model: string;
  usage: { promptTokens: number; completionTokens: number } | undefined;
}

export { ModelRejectedError, ModelUnavailableError } from './errors';

export interface ChatModel {
  complete(request: ChatRequest): Promise<ChatAnswer>;
  /** A call that may answer with tool calls (src/inference/tool-chat.ts); absent: no tools here. */
  converse?(request: ToolChatRequest): Promise<ToolChatReply>;
}

export type OpenAiChatModelOptions = OpenAiClientOptions;

export function createOpenAiChatModel(options: OpenAiChatModelOptions): ChatModel {
  const client = createOpenAiClient(options);
  return {
    converse: (request) => converse(client, request),
    async complete({ model, messages, maxTokens, signal, timeoutMs, reasoningEffort }) {
      let completion;
      try {
        completion = await client.chat.completions.create(
          {
            model,
            messages: messages.map(toSdkMessage),
            // Reasoning models refuse `max_tokens`; they take `max_completion_tokens` (which also
            // covers the hidden reasoning). Other servers keep the widely supported `max_tokens`.
            ...(reasoningEffort
              ? { reasoning_effort: reasoningEffort, max_completion_tokens: maxTokens }
              : { max_tokens: maxTokens }),
          },
          { signal, ...(timeoutMs ? { timeout: timeoutMs } : {}) },
        );
      } catch (error) {
        const transient = isTransientApiFailure(error);
        const reason = error instanceof Error ? error.message : String(error);
        if (transient) throw new ModelUnavailableError(`model call failed: ${reason}`, { cause: error });
        throw new ModelRejectedError(`model rejected the request: ${reason}`, { cause: error });
      }
      const text = completion.choices?.[0]?.message?.content;
      if (typeof text !== 'string' || text.trim() === '') {
        throw new ModelRejectedError('model returned no text');
      }
      return {
        text: text.trim(),
        model: completion.model ?? model,
        usage: completion.usage
          ? { promptTokens: completion.usage.prompt_tokens, completionTokens: completion.usage.completion_tokens }
          : undefined,
      };
    },
  };
}
