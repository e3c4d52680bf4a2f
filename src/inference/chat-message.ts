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

type SdkMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;

export function toSdkMessage(message: ChatMessage): SdkMessage {
  if (typeof message.content === 'string' || message.role === 'user') {
    return { role: message.role, content: message.content } as SdkMessage;
  }
  // System and assistant messages take text only: images there would be a bug upstream.
  const text = message.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
  return { role: message.role, content: text };
}
