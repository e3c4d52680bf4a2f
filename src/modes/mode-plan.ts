import type { Config, ModeConfig } from '../../config';
import type { InboundMessage } from '../core/inbound';
import { defaultSystemPrompt } from '../core/turn';
import type { ChatAnswer, ChatMessage, ChatModel } from '../inference/chat-model';
import { contemplate } from './contemplate';
import type { Mode } from './modes';

/** What the turn needs to answer in a mode: which model, prompt and budget, and how to call it. */
export interface ModePlan {
  mode: Mode;
  modelName: string | undefined;
  maxTokens: number;
  systemPrompt: string;
  /** `signal` aborts the call(s) (worker shutdown hands the turn back). */
  complete?: (messages: ChatMessage[], signal?: AbortSignal) => Promise<ChatAnswer>;
}

const THINKING_SUFFIX =
  'Take the time to reason the question through and check your work before answering; then give the answer itself, clearly, as a chat message.';

function systemPromptFor(
  mode: Mode,
  settings: ModeConfig,
  base: string | undefined,
  platform: InboundMessage['platform'],
): string {
  if (settings.systemPrompt) return settings.systemPrompt;
  const prompt = base ?? defaultSystemPrompt(platform);
  return mode === 'fast' ? prompt : `${prompt} ${THINKING_SUFFIX}`;
}

export function planFor(
  mode: Mode,
  modes: Config['modes'],
  model: ChatModel | null,
  platform: InboundMessage['platform'],
): ModePlan {
  const settings = modes[mode];
  const plan: ModePlan = {
    mode,
    modelName: settings.model,
    maxTokens: settings.maxTokens,
    systemPrompt: systemPromptFor(mode, settings, modes.fast.systemPrompt, platform),
  };
  if (!model || !settings.model) return plan;
  const modelName = settings.model;
  if (mode === 'contemplating') {
    const { drafts, maxTokens, timeoutMs, reasoningEffort } = modes.contemplating;
    plan.complete = (messages, signal) =>
      contemplate(model, { model: modelName, drafts, maxTokens, timeoutMs, reasoningEffort }, messages, signal);
  } else {
    plan.complete = (messages, signal) =>
      model.complete({
        model: modelName,
        messages,
        maxTokens: settings.maxTokens,
        timeoutMs: settings.timeoutMs,
        reasoningEffort: settings.reasoningEffort,
        signal,
      });
  }
  return plan;
}
