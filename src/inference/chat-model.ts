import type { LlmProvider } from '../../config';
import { isReasoningMode, type Mode } from '../core/modes';
import type { ReasoningEffort } from './backend-presets';
import { ChatCaller } from './chat-call';
import type { ChatMessage } from './chat-message';
import { noAnswer, type ModelUsage } from './model-reply';
import { createOpenAiClient, type OpenAiClientOptions } from './openai-client';
import { converse, type ToolChatReply, type ToolChatRequest } from './tool-chat';

/**
 * The model behind the answers, reached through any OpenAI-compatible `/chat/completions` API
 * (OpenAI, Ollama, vLLM, llama.cpp, Groq, ...). We use the `openai` SDK rather than raw HTTP: it
 * tracks the API's shapes, handles timeouts and aborts, and is what the compatible servers test
 * against. Retries are left to the turn job (BullMQ), so the SDK's own retries are off; what
 * differs between backends (reasoning switches, token limits, error shapes) is in chat-call.ts.
 */

export type { ChatContentPart, ChatMessage } from './chat-message';
export type { ModelUsage } from './model-reply';

export interface ChatRequest {
  /** the mode asking: whether the model reasons, and a label on the call's metrics */
  mode: Mode;
  model: string;
  messages: ChatMessage[];
  maxTokens: number;
  signal?: AbortSignal;
  /** overrides the client's timeout for this call (reasoning modes take longer) */
  timeoutMs?: number;
  /** how hard a reasoning mode thinks, carried by the backend's reasoning switch */
  reasoningEffort?: ReasoningEffort;
}

export interface ChatAnswer {
  /** the answer a person may see: never any of the model's reasoning */
  text: string;
  model: string;
  usage: ModelUsage | undefined;
  /** the token limit cut the answer: what is here is usable, the rest is missing */
  cutShort?: boolean;
}

export {
  ContextTooLongError,
  ImagesNotSupportedError,
  ModelNoAnswerError,
  ModelRejectedError,
  ModelUnavailableError,
} from './errors';

export interface ChatModel {
  complete(request: ChatRequest): Promise<ChatAnswer>;
  /** A call that may answer with tool calls (src/inference/tool-chat.ts); absent: no tools here. */
  converse?(request: ToolChatRequest): Promise<ToolChatReply>;
  /** Whether the backend takes images (its preset, as known now); absent: it is assumed to. */
  takesImages?(): boolean;
}

export interface OpenAiChatModelOptions extends OpenAiClientOptions {
  /** LLM_PROVIDER (undefined: generic, until the server identifies itself) */
  provider?: LlmProvider;
  /** told when an unnamed backend identified itself */
  onDetected?: (provider: LlmProvider) => void;
}

export function createOpenAiChatModel(options: OpenAiChatModelOptions): ChatModel {
  const caller = new ChatCaller(createOpenAiClient(options), {
    provider: options.provider,
    baseUrl: options.baseUrl,
    onDetected: options.onDetected,
  });
  return {
    ...(caller.preset.tools ? { converse: (request: ToolChatRequest) => converse(caller, request) } : {}),
    takesImages: () => caller.preset.images,
    async complete({ mode, model, messages, maxTokens, signal, timeoutMs, reasoningEffort }) {
      const reply = await caller.call({
        model,
        messages,
        maxTokens,
        reasoning: { on: isReasoningMode(mode), effort: reasoningEffort },
        signal,
        timeoutMs,
      });
      if (!reply.text) throw noAnswer(reply);
      return {
        text: reply.text,
        model: reply.model,
        usage: reply.usage,
        ...(reply.finishReason === 'length' ? { cutShort: true } : {}),
      };
    },
  };
}
