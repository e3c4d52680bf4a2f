import { ModelRejectedError, type ChatAnswer, type ChatModel, type ChatRequest } from '../inference/chat-model';
import { RequestRejectedError } from '../inference/errors';
import type { ToolChatMessage } from '../inference/tool-chat';
import type { Grounding } from './grounding';

/**
 * A mode's model call with the business's knowledge (and the web, where it is on) at hand: the
 * model may call `search_knowledge` / `search_web` for a few rounds, then answers in text. A
 * model server without tools (no `converse`, or one that refuses a request offering them) gets
 * the retrieval step instead: the knowledge is searched with the person's words and the passages
 * are put in the conversation before the one plain call. Without anything to offer, it is the
 * plain call unchanged.
 */

/** Tool rounds before the model is made to answer in text. */
export const MAX_GROUNDING_ROUNDS = 3;

type Usage = ChatAnswer['usage'];

function addUsage(total: Usage, more: Usage): Usage {
  if (!more) return total;
  if (!total) return more;
  return {
    promptTokens: total.promptTokens + more.promptTokens,
    completionTokens: total.completionTokens + more.completionTokens,
  };
}

/** The words of the last user message: what the retrieval step searches with. */
function lastQuestion(messages: ChatRequest['messages']): string {
  const last = [...messages].reverse().find((message) => message.role === 'user');
  if (!last) return '';
  if (typeof last.content === 'string') return last.content;
  return last.content.map((part) => (part.type === 'text' ? part.text : '')).join(' ');
}

/** The system prompt with the grounding instructions (and retrieved passages) added. */
function withInstructions(messages: ChatRequest['messages'], extra: string[]): ChatRequest['messages'] {
  const added = extra.filter(Boolean).join('\n\n');
  if (!added) return messages;
  const [first, ...rest] = messages;
  if (first?.role === 'system' && typeof first.content === 'string') {
    return [{ role: 'system', content: `${first.content}\n\n${added}` }, ...rest];
  }
  return [{ role: 'system', content: added }, ...messages];
}

async function withRetrieval(model: ChatModel, request: ChatRequest, grounding: Grounding): Promise<ChatAnswer> {
  grounding.markToolsUnavailable();
  const passages = await grounding.retrieve(lastQuestion(request.messages), request.signal);
  const messages = withInstructions(request.messages, [grounding.prompt(), passages ?? '']);
  return model.complete({ ...request, messages });
}

async function toolLoop(
  converse: NonNullable<ChatModel['converse']>,
  request: ChatRequest,
  grounding: Grounding,
): Promise<ChatAnswer> {
  const messages: ToolChatMessage[] = withInstructions(request.messages, [grounding.prompt()]);
  // Tool rounds run with reasoning off (tool-chat.ts): the effort setting is for the plain call.
  const { mode, model, maxTokens, timeoutMs, signal } = request;
  let usage: Usage;
  for (let round = 0; ; round += 1) {
    const tools = round < MAX_GROUNDING_ROUNDS ? grounding.tools : undefined;
    const reply = await converse({ mode, model, maxTokens, timeoutMs, signal, messages, tools });
    usage = addUsage(usage, reply.usage);
    if (reply.toolCalls.length === 0 || !tools) {
      if (!reply.text) throw new ModelRejectedError('model gave no answer after its tool calls');
      return { text: reply.text, model: reply.model, usage };
    }
    messages.push({ role: 'assistant', content: reply.text || null, toolCalls: reply.toolCalls });
    for (const call of reply.toolCalls) {
      const content = grounding.handles(call.name)
        ? await grounding.run(call.name, call.arguments, signal)
        : JSON.stringify({ error: `unknown tool ${call.name}` });
      messages.push({ role: 'tool', toolCallId: call.id, content });
    }
  }
}

/** One answer of a mode (or one of contemplating's drafts) with grounding; without it, the plain call. */
export async function groundedComplete(
  model: ChatModel,
  request: ChatRequest,
  grounding: Grounding | undefined,
): Promise<ChatAnswer> {
  if (!grounding?.active) return model.complete(request);
  if (grounding.tools.length === 0) return withRetrieval(model, request, grounding);
  if (!model.converse) return withRetrieval(model, request, grounding);
  try {
    return await toolLoop(model.converse.bind(model), request, grounding);
  } catch (error) {
    // A server without tool support refuses the call (400): search for the model instead.
    if (error instanceof RequestRejectedError) return withRetrieval(model, request, grounding);
    throw error;
  }
}
