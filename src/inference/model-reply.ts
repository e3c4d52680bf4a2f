import type { ToolCall } from './chat-message';
import { ModelNoAnswerError, ModelUnavailableError } from './errors';
import { visibleAnswer } from './reasoning-text';

/**
 * What came back from one chat call, read the same way for every backend: the answer a person
 * may see (reasoning taken out wherever it was), whether the model reasoned, why it stopped, the
 * tool calls, and the tokens it reports (reasoning tokens apart, where the backend counts them).
 */

export interface ModelUsage {
  promptTokens: number;
  completionTokens: number;
  /** `usage.completion_tokens_details.reasoning_tokens`, where the backend reports it */
  reasoningTokens?: number;
}

export interface ModelReply {
  /** the visible answer, trimmed; '' when there is none */
  text: string;
  /** reasoning came back (a reasoning field, tags or thinking parts), whether or not an answer did */
  reasoned: boolean;
  /** reasoning text from a reasoning field, kept only to hand back where a backend needs it */
  reasoning: string | undefined;
  finishReason: string | undefined;
  toolCalls: ToolCall[];
  model: string;
  usage: ModelUsage | undefined;
}

type Json = Record<string, unknown>;
const asObject = (value: unknown): Json => (typeof value === 'object' && value !== null ? (value as Json) : {});

/** The text parts of `content` (a string, or parts as Mistral sends them); `thinking` parts are reasoning. */
function contentOf(content: unknown): { text: string; thinking: boolean } {
  if (typeof content === 'string') return { text: content, thinking: false };
  if (!Array.isArray(content)) return { text: '', thinking: false };
  const parts = content.map(asObject);
  return {
    text: parts.map((part) => (part.type === 'text' && typeof part.text === 'string' ? part.text : '')).join(''),
    thinking: parts.some((part) => part.type === 'thinking'),
  };
}

/** Tool calls; llama.cpp's documented early shape put `name` and `arguments` on the call itself. */
function toolCallsOf(message: Json): ToolCall[] {
  const calls = Array.isArray(message.tool_calls) ? message.tool_calls.map(asObject) : [];
  return calls.flatMap((call) => {
    const fn = call.function === undefined ? call : asObject(call.function);
    if (typeof fn.name !== 'string') return [];
    const args = typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {});
    return [{ id: typeof call.id === 'string' ? call.id : `call_${fn.name}`, name: fn.name, arguments: args }];
  });
}

function usageOf(value: unknown): ModelUsage | undefined {
  const usage = asObject(value);
  if (typeof usage.prompt_tokens !== 'number' || typeof usage.completion_tokens !== 'number') return undefined;
  const reasoning = asObject(usage.completion_tokens_details).reasoning_tokens;
  return {
    promptTokens: usage.prompt_tokens,
    completionTokens: usage.completion_tokens,
    ...(typeof reasoning === 'number' && reasoning > 0 ? { reasoningTokens: reasoning } : {}),
  };
}

export function readReply(data: unknown, requestedModel: string): ModelReply {
  const body = asObject(data);
  const choices = Array.isArray(body.choices) ? body.choices : [];
  // OpenRouter reports an error that happens after generation started inside a 200 body.
  if (choices.length === 0 && body.error !== undefined) {
    throw new ModelUnavailableError(`model failed mid-answer: ${JSON.stringify(body.error).slice(0, 200)}`);
  }
  const choice = asObject(choices[0]);
  const message = asObject(choice.message);
  const content = contentOf(message.content);
  const visible = visibleAnswer(content.text);
  const field = [message.reasoning_content, message.reasoning].find(
    (value): value is string => typeof value === 'string' && value.trim() !== '',
  );
  return {
    text: visible.text,
    reasoned: visible.hadReasoning || content.thinking || field !== undefined,
    reasoning: field,
    finishReason: typeof choice.finish_reason === 'string' ? choice.finish_reason : undefined,
    toolCalls: toolCallsOf(message),
    model: typeof body.model === 'string' && body.model ? body.model : requestedModel,
    usage: usageOf(body.usage),
  };
}

/** Why a reply with no visible answer and no tool calls has none. */
export function noAnswer(reply: ModelReply): ModelNoAnswerError {
  if (reply.finishReason === 'length') return new ModelNoAnswerError('cut-off');
  return new ModelNoAnswerError(reply.reasoned ? 'only-reasoning' : 'empty');
}

/** Two calls' usage as one (a repaired tool call, contemplating's drafts). */
export function addUsage(...usages: Array<ModelUsage | undefined>): ModelUsage | undefined {
  const known = usages.filter((usage): usage is ModelUsage => usage !== undefined);
  if (known.length === 0) return undefined;
  const reasoning = known.reduce((sum, usage) => sum + (usage.reasoningTokens ?? 0), 0);
  return {
    promptTokens: known.reduce((sum, usage) => sum + usage.promptTokens, 0),
    completionTokens: known.reduce((sum, usage) => sum + usage.completionTokens, 0),
    ...(reasoning > 0 ? { reasoningTokens: reasoning } : {}),
  };
}
