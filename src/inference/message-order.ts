import type { ChatContentPart, ChatMessage, ToolChatMessage } from './chat-message';

/**
 * Messages in the order every chat template accepts. Gemma's and Mistral's templates refuse a
 * system message anywhere but first and demand user/assistant alternation (docs/backends.md):
 * so the mode's prompt, the memory block and any other system text become one system message
 * at the top, consecutive user parts become one user message (a photo and its question),
 * consecutive assistant texts one assistant message, and the conversation starts with the person.
 */

type Content = ChatMessage['content'];

const textOf = (content: Content): string =>
  typeof content === 'string'
    ? content
    : content
        .map((part) => (part.type === 'text' ? part.text : ''))
        .filter(Boolean)
        .join('\n');

const partsOf = (content: Content): ChatContentPart[] =>
  typeof content === 'string' ? (content ? [{ type: 'text', text: content }] : []) : content;

function joined(first: Content, second: Content): Content {
  if (typeof first === 'string' && typeof second === 'string') return [first, second].filter(Boolean).join('\n\n');
  return [...partsOf(first), ...partsOf(second)];
}

const isPlain = (message: ToolChatMessage): message is ChatMessage =>
  message.role !== 'tool' && !('toolCalls' in message);

export function inTemplateOrder<T extends ToolChatMessage>(messages: T[]): T[] {
  const system = messages
    .filter((message) => message.role === 'system')
    .map((message) => textOf((message as ChatMessage).content))
    .filter((text) => text.trim() !== '');
  const ordered: ToolChatMessage[] = system.length > 0 ? [{ role: 'system', content: system.join('\n\n') }] : [];
  for (const message of messages) {
    if (message.role === 'system') continue;
    const last = ordered[ordered.length - 1];
    if (last && last.role === message.role && isPlain(last) && isPlain(message)) {
      ordered[ordered.length - 1] = { role: last.role, content: joined(last.content, message.content) };
      continue;
    }
    // Before the person's first message an assistant line answers nothing the model can see.
    if (message.role === 'assistant' && !ordered.some((earlier) => earlier.role === 'user')) continue;
    ordered.push(message);
  }
  return ordered as T[];
}

/**
 * The messages with the older half of the history left out (what came before the person's
 * latest message), for a second try after the server said the context was too long; undefined
 * when there is no history left to shorten.
 */
export function withOlderHalfLeftOut<T extends ToolChatMessage>(messages: T[]): T[] | undefined {
  const start = messages[0]?.role === 'system' ? 1 : 0;
  let lastUser = messages.length - 1;
  while (lastUser >= 0 && messages[lastUser]!.role !== 'user') lastUser -= 1;
  const history = lastUser - start;
  if (history <= 0) return undefined;
  const drop = Math.ceil(history / 2);
  return inTemplateOrder([...messages.slice(0, start), ...messages.slice(start + drop)]);
}
