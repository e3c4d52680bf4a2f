import type { Config } from '../../config';
import type { Platform } from '../core/inbound';
import type { Mode } from '../core/modes';
import type { ChatAnswer, ChatMessage, ChatModel } from '../inference/chat-model';
import { groundedComplete } from '../grounding/grounded-call';
import type { Grounding } from '../grounding/grounding';
import { contemplate } from './contemplate';
import { systemPromptFor } from './system-prompt';
import type { Language } from '../i18n/languages';

/**
 * What the turn needs to answer in a mode: the system prompt and how to call the model. `complete`
 * is undefined when no model is configured for the mode (the user is told the bot is not
 * connected); otherwise it is one call (fast, thinking) or drafts and a synthesis (contemplating).
 * With `grounding`, each answer (each draft) may search the business's knowledge and the web
 * first (src/grounding/grounded-call.ts).
 */
export interface ModePlan {
  mode: Mode;
  systemPrompt: string;
  /** `signal` aborts the call(s): a worker shutting down hands the turn back. */
  complete: ((messages: ChatMessage[], signal: AbortSignal, grounding?: Grounding) => Promise<ChatAnswer>) | undefined;
}

export function planFor(
  mode: Mode,
  modes: Config['modes'],
  model: ChatModel | null,
  platform: Platform,
  language: Language,
): ModePlan {
  const settings = modes[mode];
  const systemPrompt = systemPromptFor(mode, settings, modes.fast.systemPrompt, platform, language);
  const modelName = settings.model;
  if (!model || !modelName) return { mode, systemPrompt, complete: undefined };
  if (mode === 'contemplating') {
    const { drafts, maxTokens, timeoutMs, reasoningEffort } = modes.contemplating;
    const draftSettings = { model: modelName, drafts, maxTokens, timeoutMs, reasoningEffort };
    return {
      mode,
      systemPrompt,
      complete: (messages, signal, grounding) => contemplate(model, draftSettings, messages, signal, grounding),
    };
  }
  return {
    mode,
    systemPrompt,
    complete: (messages, signal, grounding) =>
      groundedComplete(
        model,
        {
          mode,
          model: modelName,
          messages,
          maxTokens: settings.maxTokens,
          timeoutMs: settings.timeoutMs,
          reasoningEffort: settings.reasoningEffort,
          signal,
        },
        grounding,
      ),
  };
}
