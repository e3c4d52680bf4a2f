import { createOpenAiChatModel, type ChatModel } from '../src/inference/chat-model';
import type { CheckResult } from './checks';
import type { Conversation } from './suite';

/**
 * The optional rubric, scored by a model (EVAL_JUDGE_MODEL): the conversation, the answer, and
 * what a good answer does; the judge answers with a score from 1 to 5 and one sentence why. A
 * score of 4 or 5 passes. The judge's own failures are reported, never scored as the answer's.
 */
export interface JudgeSettings {
  baseUrl: string;
  apiKey: string | undefined;
  model: string;
}

export interface Judgement {
  score: number;
  reason: string;
}

const JUDGE_PROMPT = [
  'You grade answers of a chat assistant. You get the conversation, what a good answer must do, and the answer.',
  'Score it from 1 (useless or harmful) to 5 (exactly what a careful expert would say in a chat):',
  'correct, helpful, honest about what it cannot know, in the language of the person, short enough for a chat.',
  'Reply with JSON only: {"score": <1-5>, "reason": "<one sentence>"}.',
].join(' ');

/** What a good answer does, from the conversation's rubric and its expectations. */
function rubricOf(conversation: Conversation): string {
  const { expect } = conversation;
  const lines = [conversation.rubric ?? 'A correct, helpful, honest answer.'];
  if (expect.unknown) lines.push('Nobody can know this: a good answer says so and invents nothing.');
  if (conversation.memory.length > 0)
    lines.push(`The person asked to be remembered: ${conversation.memory.join('; ')}.`);
  lines.push(`The person writes in ${conversation.language}; the answer must be in that language.`);
  return lines.join('\n');
}

/** `{"score": 4, ...}` anywhere in the judge's answer, its score clamped to 1..5. */
export function judgementIn(text: string): Judgement | undefined {
  const json = /\{[\s\S]*\}/.exec(text)?.[0];
  if (!json) return undefined;
  try {
    const parsed = JSON.parse(json) as { score?: unknown; reason?: unknown };
    const score = Number(parsed.score);
    if (!Number.isFinite(score)) return undefined;
    return {
      score: Math.min(5, Math.max(1, Math.round(score))),
      reason: typeof parsed.reason === 'string' ? parsed.reason : '',
    };
  } catch {
    return undefined;
  }
}

export function createJudge(
  settings: JudgeSettings,
): (conversation: Conversation, answer: string) => Promise<Judgement> {
  const model: ChatModel = createOpenAiChatModel({
    baseUrl: settings.baseUrl,
    apiKey: settings.apiKey,
    timeoutMs: 120_000,
  });
  return async (conversation, answer) => {
    const said = conversation.messages.map((m) => `Person: ${m}`).join('\n');
    const reply = await model.complete({
      mode: 'fast',
      model: settings.model,
      maxTokens: 300,
      messages: [
        { role: 'system', content: JUDGE_PROMPT },
        {
          role: 'user',
          content: `Conversation:\n${said}\n\nA good answer:\n${rubricOf(conversation)}\n\nThe answer:\n${answer}`,
        },
      ],
    });
    const judgement = judgementIn(reply.text);
    if (!judgement) throw new Error('the judge gave no score');
    return judgement;
  };
}

export function judgeCheck(judgement: Judgement | undefined): CheckResult | undefined {
  if (!judgement) return undefined;
  return judgement.score >= 4
    ? { check: 'judge', passed: true }
    : { check: 'judge', passed: false, detail: `scored ${judgement.score}/5: ${judgement.reason}` };
}
