import type OpenAI from 'openai';

/** The messages of a chat call, and how they go to the SDK (shared by plain and tool calls). */

/** A piece of a user message: text, or an image the model should look at (a `data:` URL). */
export type ChatContentPart =
  { type: 'text'; text: string } | { type: 'image_url'; image_url: { url: string; detail?: 'auto' | 'low' | 'high' } };

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  /** parts (text and images) are only meaningful on user messages */
  content: string | ChatContentPart[];
}

export interface ToolCall {
  id: string;
  name: string;
  /** the arguments as the API delivers them: a JSON string the caller must check */
  arguments: string;
}

/** A message of a call that may use tools: plain messages, the model's tool calls and their results. */
export type ToolChatMessage =
  | ChatMessage
  /** `reasoning`: what the model reasoned before these calls, for backends that need it back */
  | { role: 'assistant'; content: string | null; toolCalls: ToolCall[]; reasoning?: string }
  | { role: 'tool'; toolCallId: string; content: string };

type SdkMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;

export function toSdkMessage(message: ChatMessage): SdkMessage {
  if (typeof message.content === 'string' || message.role === 'user') {
    return { role: message.role, content: message.content } as SdkMessage;
  }
  // System and assistant messages take text only: images there would be a bug upstream.
  const text = message.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
  return { role: message.role, content: text };
}

/** Any message of a call in the SDK's shape; `echoReasoning`: a tool-call message carries its reasoning back. */
export function toSdk(message: ToolChatMessage, echoReasoning = false): SdkMessage {
  if (message.role === 'tool') return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
  if (!('toolCalls' in message)) return toSdkMessage(message);
  return {
    role: 'assistant',
    content: message.content,
    tool_calls: message.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    })),
    ...(echoReasoning && message.reasoning ? { reasoning_content: message.reasoning } : {}),
  };
}

/** Whether any message carries an image part. */
export const hasImages = (messages: ToolChatMessage[]): boolean =>
  messages.some(
    (message) => Array.isArray(message.content) && message.content.some((part) => part.type === 'image_url'),
  );
