import type OpenAI from 'openai';
import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions';
import { toSdkMessage, type ChatMessage } from './chat-message';
import { ModelRejectedError, ModelUnavailableError, RequestRejectedError } from './errors';
import { isTransientApiFailure } from './openai-client';
import type { Mode } from '../core/modes';

/**
 * A chat call that may answer with tool calls instead of text (the OpenAI tools API), for modes
 * whose model looks things up before it answers. The caller runs the tools and calls again with
 * their results; this file only speaks the protocol.
 */

export interface ToolCall {
  id: string;
  name: string;
  /** the arguments as the API delivers them: a JSON string the caller must check */
  arguments: string;
}

export type ToolChatMessage =
  | ChatMessage
  | { role: 'assistant'; content: string | null; toolCalls: ToolCall[] }
  | { role: 'tool'; toolCallId: string; content: string };

export interface ToolChatRequest {
  /** the mode asking: a label on the call's metrics (shopping when unset) */
  mode?: Mode;
  model: string;
  messages: ToolChatMessage[];
  /** none: the model must answer in text */
  tools: ChatCompletionFunctionTool[] | undefined;
  maxTokens: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** sent as `reasoning_effort` when set, as for plain calls (chat-model.ts) */
  reasoningEffort?: 'none' | 'minimal' | 'low' | 'medium' | 'high';
}

export interface ToolChatReply {
  /** the text answer; empty when the model only called tools */
  text: string;
  toolCalls: ToolCall[];
  model: string;
  usage: { promptTokens: number; completionTokens: number } | undefined;
}

type SdkMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;

function toSdk(message: ToolChatMessage): SdkMessage {
  if (message.role === 'tool') return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
  if ('toolCalls' in message) {
    return {
      role: 'assistant',
      content: message.content,
      tool_calls: message.toolCalls.map((call) => ({
        id: call.id,
        type: 'function',
        function: { name: call.name, arguments: call.arguments },
      })),
    };
  }
  return toSdkMessage(message);
}

export async function converse(client: OpenAI, request: ToolChatRequest): Promise<ToolChatReply> {
  let completion;
  try {
    completion = await client.chat.completions.create(
      {
        model: request.model,
        messages: request.messages.map(toSdk),
        ...(request.reasoningEffort
          ? { reasoning_effort: request.reasoningEffort, max_completion_tokens: request.maxTokens }
          : { max_tokens: request.maxTokens }),
        ...(request.tools?.length ? { tools: request.tools } : {}),
      },
      { signal: request.signal, ...(request.timeoutMs ? { timeout: request.timeoutMs } : {}) },
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (isTransientApiFailure(error)) throw new ModelUnavailableError(`model call failed: ${reason}`, { cause: error });
    throw new RequestRejectedError(`model rejected the request: ${reason}`, { cause: error });
  }
  const message = completion.choices?.[0]?.message;
  const toolCalls: ToolCall[] = (message?.tool_calls ?? []).flatMap((call) =>
    call.type === 'function' ? [{ id: call.id, name: call.function.name, arguments: call.function.arguments }] : [],
  );
  const text = typeof message?.content === 'string' ? message.content.trim() : '';
  if (!text && toolCalls.length === 0) throw new ModelRejectedError('model returned neither text nor tool calls');
  return {
    text,
    toolCalls,
    model: completion.model ?? request.model,
    usage: completion.usage
      ? { promptTokens: completion.usage.prompt_tokens, completionTokens: completion.usage.completion_tokens }
      : undefined,
  };
}
