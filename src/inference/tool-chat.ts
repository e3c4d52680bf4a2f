import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions';
import type { ChatCaller } from './chat-call';
import type { ToolCall, ToolChatMessage } from './chat-message';
import { addUsage, noAnswer, type ModelReply, type ModelUsage } from './model-reply';
import type { Mode } from '../core/modes';

/**
 * A chat call that may answer with tool calls instead of text (the OpenAI tools API), for modes
 * whose model looks things up before it answers. The caller runs the tools and calls again with
 * their results; this file only speaks the protocol. A call whose arguments are not JSON gets one
 * repair round here: the model is told which arguments were invalid and asked again, so the
 * caller only ever sees arguments the model had a chance to correct (and no server is sent the
 * broken JSON back: several refuse it).
 */

export type { ToolCall, ToolChatMessage } from './chat-message';

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
}

export interface ToolChatReply {
  /** the text answer; empty when the model only called tools */
  text: string;
  toolCalls: ToolCall[];
  /** reasoning before the calls, for backends that need it sent back with them */
  reasoning?: string;
  model: string;
  usage: ModelUsage | undefined;
  /** the token limit cut the text answer */
  cutShort?: boolean;
}

function jsonProblem(args: string): string | undefined {
  if (args.trim() === '') return undefined;
  try {
    JSON.parse(args);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : 'not JSON';
  }
}

/** The turn that asks again: the calls as made (broken arguments blanked) and what was wrong with each. */
function repairTurn(reply: ModelReply): ToolChatMessage[] {
  const calls = reply.toolCalls.map((call) => ({ call, problem: jsonProblem(call.arguments) }));
  return [
    {
      role: 'assistant',
      content: reply.text || null,
      toolCalls: calls.map(({ call, problem }) => (problem ? { ...call, arguments: '{}' } : call)),
      reasoning: reply.reasoning,
    },
    ...calls.map(({ call, problem }) => ({
      role: 'tool' as const,
      toolCallId: call.id,
      content: JSON.stringify({
        error: problem
          ? `the arguments you sent were not valid JSON (${problem}); call ${call.name} again with valid JSON arguments`
          : 'not run, because another call in this turn had invalid arguments; call it again',
      }),
    })),
  ];
}

export async function converse(caller: ChatCaller, request: ToolChatRequest): Promise<ToolChatReply> {
  const settings = { ...request, reasoning: { on: false, effort: undefined } };
  const first = await caller.call(settings);
  const broken = request.tools?.length && first.toolCalls.some((call) => jsonProblem(call.arguments) !== undefined);
  const second = broken
    ? await caller.call({ ...settings, messages: [...request.messages, ...repairTurn(first)] })
    : undefined;
  const reply = second ?? first;
  if (!reply.text && reply.toolCalls.length === 0) throw noAnswer(reply);
  return {
    text: reply.text,
    toolCalls: reply.toolCalls,
    ...(reply.reasoning ? { reasoning: reply.reasoning } : {}),
    model: reply.model,
    usage: second ? addUsage(first.usage, second.usage) : first.usage,
    ...(reply.finishReason === 'length' && reply.text ? { cutShort: true } : {}),
  };
}
