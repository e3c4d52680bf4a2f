import type { ChatAnswer, ChatMessage, ChatModel, ChatRequest } from '../inference/chat-model';
import { groundedComplete } from '../grounding/grounded-call';
import type { Grounding } from '../grounding/grounding';
import { addUsage } from '../inference/model-reply';

/**
 * Contemplating: several drafts of the answer, each from a different angle, requested at the same
 * time, then one synthesis call that merges them into the single answer the user gets. A draft
 * that fails is left out; only when every draft fails does the turn fail (and is retried). With
 * grounding, each draft may search the business's knowledge (and the web) on its own; the turn's
 * one evidence ledger keeps the references the same across drafts, and the synthesis keeps them.
 */

export const DRAFT_ANGLES = [
  'Answer directly and practically, as an experienced practitioner would.',
  'Be the careful skeptic: look for hidden assumptions, edge cases and what could go wrong, then answer.',
  'Reason from first principles, step by step, then answer.',
  'Consider other ways to read the question and other approaches, then answer the most likely reading.',
  'Explain with a concrete example or analogy, then answer.',
  'Think about what the person most likely needs next, and answer with that in mind.',
  'Weigh the trade-offs between the main options, then give a recommendation.',
  'Check the facts and numbers involved, then answer with what holds up.',
];

/** Opens each draft's angle in its system prompt. */
export const DRAFT_ANGLE_INTRO = 'For this draft:';
/** Closes the drafts in the synthesis request, after the question they answer. */
export const DRAFTS_INSTRUCTION = 'Write the final answer to the message above.';

const SYNTHESIS_PROMPT = [
  'You merge draft answers into one final answer for a chat message.',
  'Keep what is correct and useful in each draft, resolve disagreements by reasoning about which is right,',
  'drop repetition, and answer in the language of the question. Do not mention the drafts or that there were several.',
].join(' ');

const KEEP_REFERENCES = 'Keep the source references of the drafts, like [K1] or [W2], after the sentences you keep.';

export interface ContemplateSettings {
  model: string;
  drafts: number;
  maxTokens: number;
  timeoutMs?: number;
  reasoningEffort?: ChatRequest['reasoningEffort'];
}

/** The text of a message's content (a photo's caption when the content has parts). */
function textOf(content: ChatMessage['content']): string {
  return typeof content === 'string'
    ? content
    : content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
}

/** The question followed by the drafts; a question with a photo keeps its image parts. */
function withDrafts(question: ChatMessage['content'], draftText: string): ChatMessage['content'] {
  const drafts = `---\n${draftText}\n---\n${DRAFTS_INSTRUCTION}`;
  if (typeof question === 'string') return `${question}\n\n${drafts}`;
  return [...question, { type: 'text', text: drafts }];
}

/** `messages` is what a single-call mode would send: system prompt, history, the question last. */
export async function contemplate(
  model: ChatModel,
  settings: ContemplateSettings,
  messages: ChatMessage[],
  signal?: AbortSignal,
  grounding?: Grounding,
): Promise<ChatAnswer> {
  const system = messages[0]?.role === 'system' ? textOf(messages[0].content) : '';
  const conversation = messages[0]?.role === 'system' ? messages.slice(1) : messages;
  const question = conversation[conversation.length - 1];
  const request = (callMessages: ChatMessage[]): ChatRequest => ({
    mode: 'contemplating',
    model: settings.model,
    messages: callMessages,
    maxTokens: settings.maxTokens,
    timeoutMs: settings.timeoutMs,
    reasoningEffort: settings.reasoningEffort,
    signal,
  });
  const call = (callMessages: ChatMessage[]) => model.complete(request(callMessages));
  const draft = (callMessages: ChatMessage[]) => groundedComplete(model, request(callMessages), grounding);

  const settled = await Promise.allSettled(
    Array.from({ length: settings.drafts }, (_, i) =>
      draft([
        { role: 'system', content: `${system}\n\n${DRAFT_ANGLE_INTRO} ${DRAFT_ANGLES[i % DRAFT_ANGLES.length]}` },
        ...conversation,
      ]),
    ),
  );
  const drafts = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  if (drafts.length === 0) {
    throw (settled[0] as PromiseRejectedResult).reason;
  }
  if (drafts.length === 1) return drafts[0]!;

  const draftText = drafts.map((d, i) => `Draft ${i + 1}:\n${d.text}`).join('\n\n');
  const synthesisPrompt = grounding?.active ? `${SYNTHESIS_PROMPT} ${KEEP_REFERENCES}` : SYNTHESIS_PROMPT;
  const synthesis = await call([
    { role: 'system', content: `${synthesisPrompt}${system ? `\n\nThe assistant's instructions: ${system}` : ''}` },
    ...conversation.slice(0, -1),
    { role: 'user', content: withDrafts(question?.content ?? '', draftText) },
  ]);
  return { ...synthesis, usage: addUsage(...[...drafts, synthesis].map((answer) => answer.usage)) };
}
