import type { ChatAnswer, ChatMessage, ChatModel } from '../inference/chat-model';
import type { InboundMessage } from './inbound';
import { replyTexts } from './reply-texts';

/**
 * What to answer to one message. The worker around it takes care of order, idempotency and
 * delivery; this is only the conversation: the history, the model, and the friendly answers for
 * what the bot cannot handle.
 */

export interface PastTurn {
  role: 'user' | 'assistant';
  content: string;
}

export interface TurnDependencies {
  /** null when no model is configured */
  model: ChatModel | null;
  modelName: string | undefined;
  maxTokens: number;
  systemPrompt: string;
  loadHistory(): Promise<PastTurn[]>;
  /** How the mode gets its answer (e.g. drafts + synthesis); default: one call to `model`. */
  complete?(messages: ChatMessage[]): Promise<ChatAnswer>;
  /**
   * The user's turn as read by the media step (voice notes transcribed, photos as image parts),
   * when the message had media; `historyText` is what the history keeps of it.
   */
  prepared?: { content: ChatMessage['content']; historyText: string };
}

export type TurnOutcome =
  /** a model answer; `remember` is appended to the conversation history */
  | {
      kind: 'answer';
      text: string;
      remember: PastTurn[];
      model: string;
      usage?: { promptTokens: number; completionTokens: number };
    }
  /** a fixed notice (unsupported input, misconfiguration): answered but not remembered */
  | { kind: 'notice'; text: string; reason: string };

const PLATFORM_NAMES = { whatsapp: 'WhatsApp', messenger: 'Messenger', instagram: 'Instagram' } as const;

export function defaultSystemPrompt(platform: InboundMessage['platform']): string {
  return [
    `You are Threadline, a helpful assistant chatting with someone in ${PLATFORM_NAMES[platform]}.`,
    'Answer in the language the person writes in. Be direct and concise, as in a chat: short paragraphs,',
    'no tables, no headings, plain text.',
  ].join(' ');
}

export async function decideReply(message: InboundMessage, deps: TurnDependencies): Promise<TurnOutcome> {
  if (message.unsupported !== undefined) {
    return {
      kind: 'notice',
      text: replyTexts.unsupported(message.unsupported),
      reason: `unsupported:${message.unsupported}`,
    };
  }
  const firstAttachment = message.attachments[0];
  const text = message.text?.trim();
  if (!text && !deps.prepared) {
    // Voice notes and photos are read by the media step (deps.prepared); without it, say what we can read.
    const kind = firstAttachment?.kind ?? 'empty';
    return { kind: 'notice', text: replyTexts.unsupported(kind), reason: `unreadable:${kind}` };
  }
  if (!deps.model || !deps.modelName) {
    return { kind: 'notice', text: replyTexts.modelNotConfigured, reason: 'model-not-configured' };
  }
  const history = await deps.loadHistory();
  const messages: ChatMessage[] = [
    { role: 'system', content: deps.systemPrompt },
    ...history.map((turn) => ({ role: turn.role, content: turn.content })),
    { role: 'user', content: deps.prepared?.content ?? text! },
  ];
  const answer = deps.complete
    ? await deps.complete(messages)
    : await deps.model.complete({ model: deps.modelName, messages, maxTokens: deps.maxTokens });
  return {
    kind: 'answer',
    text: answer.text,
    remember: [
      { role: 'user', content: deps.prepared?.historyText ?? text! },
      { role: 'assistant', content: answer.text },
    ],
    model: answer.model,
    usage: answer.usage,
  };
}
