import { setTimeout as sleep } from 'node:timers/promises';
import type OpenAI from 'openai';
import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions';
import type { LlmProvider } from '../../config';
import { BACKEND_PRESETS, tokenLimitField, type BackendPreset, type ReasoningEffort } from './backend-presets';
import { providerFromResponse, providerFromUrl } from './backend-detection';
import { hasImages, toSdk, type ToolChatMessage } from './chat-message';
import { ContextTooLongError, ImagesNotSupportedError, ModelUnavailableError, RequestRejectedError } from './errors';
import { inTemplateOrder, withOlderHalfLeftOut } from './message-order';
import { modelFailure, type ModelFailure } from './model-failures';
import { readReply, type ModelReply } from './model-reply';
import { toolsForBackend } from './tool-schemas';

/**
 * One call to the chat model as the backend's preset wants it (backend-presets.ts), and the
 * second tries that make a failed call worth repeating at once: a 429 whose Retry-After is short
 * is waited out; a context overflow is retried with the older half of the history left out; a
 * reasoning switch (or `max_tokens`) the model refuses is dropped (or swapped for
 * `max_completion_tokens`) and remembered for that model. Each happens at most once a call;
 * anything else is the caller's to retry (the turn job).
 */

export interface CallSettings {
  model: string;
  messages: ToolChatMessage[];
  maxTokens: number;
  /** reasoning on (thinking, contemplating) or off (fast, shopping), at the configured effort */
  reasoning: { on: boolean; effort: ReasoningEffort | undefined };
  tools?: ChatCompletionFunctionTool[];
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface ChatCallerOptions {
  /** LLM_PROVIDER; undefined: generic, switching to a preset when the server identifies itself */
  provider: LlmProvider | undefined;
  baseUrl: string;
  /** told once when the backend identified itself */
  onDetected?: (provider: LlmProvider) => void;
}

/** A Retry-After up to this long is waited out within the turn; a longer one is the job's retry. */
export const MAX_RETRY_AFTER_MS = 20_000;

type Recovery = 'wait' | 'trim' | 'switch' | 'limit';

export class ChatCaller {
  private provider: LlmProvider;
  private readonly detecting: boolean;
  /** `model|on`: the reasoning switch this model refused */
  private readonly refusedSwitch = new Set<string>();
  /** models that refused `max_tokens` for `max_completion_tokens` */
  private readonly completionTokensOnly = new Set<string>();

  constructor(
    private readonly client: OpenAI,
    private readonly options: ChatCallerOptions,
  ) {
    const fromUrl = options.provider ? undefined : providerFromUrl(options.baseUrl);
    this.provider = options.provider ?? fromUrl ?? 'generic';
    this.detecting = !options.provider && !fromUrl;
  }

  get preset(): BackendPreset {
    return BACKEND_PRESETS[this.provider];
  }

  async call(settings: CallSettings): Promise<ModelReply> {
    if (!this.preset.images && hasImages(settings.messages)) {
      throw new ImagesNotSupportedError(`${this.provider} takes no images`);
    }
    let messages = inTemplateOrder(settings.messages);
    const tried = new Set<Recovery>();
    for (;;) {
      try {
        const { data, response } = await this.client.chat.completions
          .create(this.body(settings, messages) as never, {
            signal: settings.signal,
            ...(settings.timeoutMs ? { timeout: settings.timeoutMs } : {}),
          })
          .withResponse();
        this.learn(data, response.headers);
        return readReply(data, settings.model);
      } catch (error) {
        if (settings.signal?.aborted) throw error;
        const failure = modelFailure(error);
        const next = await this.recover(failure, settings, messages, tried);
        if (!next) throw typedFailure(failure, error);
        messages = next;
      }
    }
  }

  private body(settings: CallSettings, messages: ToolChatMessage[]): Record<string, unknown> {
    const { on, effort } = settings.reasoning;
    const preset = this.preset;
    const fields = this.refusedSwitch.has(`${settings.model}|${on}`) ? {} : preset.reasoningSwitch(on, effort);
    const limit = this.completionTokensOnly.has(settings.model)
      ? 'max_completion_tokens'
      : tokenLimitField(preset, fields);
    const tools = settings.tools?.length ? toolsForBackend(settings.tools, preset.strictTools) : undefined;
    return {
      model: settings.model,
      messages: messages.map((message) => toSdk(message, preset.echoReasoningWithToolCalls)),
      [limit]: settings.maxTokens,
      ...fields,
      ...(tools ? { tools } : {}),
    };
  }

  /** The messages for one more try, or undefined when the failure is not one this call can mend. */
  private async recover(
    failure: ModelFailure,
    settings: CallSettings,
    messages: ToolChatMessage[],
    tried: Set<Recovery>,
  ): Promise<ToolChatMessage[] | undefined> {
    const once = (recovery: Recovery): boolean => {
      if (tried.has(recovery)) return false;
      tried.add(recovery);
      return true;
    };
    if (failure.kind === 'rate-limited') {
      const wait = failure.retryAfterMs;
      if (wait === undefined || wait > MAX_RETRY_AFTER_MS || !once('wait')) return undefined;
      await sleep(wait, undefined, { signal: settings.signal });
      return messages;
    }
    if (failure.kind === 'context-overflow') {
      const shorter = once('trim') ? withOlderHalfLeftOut(messages) : undefined;
      if (!shorter) throw new ContextTooLongError('the conversation does not fit the model context');
      return shorter;
    }
    if (failure.kind !== 'request-refused') return undefined;
    const { on, effort } = settings.reasoning;
    const key = `${settings.model}|${on}`;
    const fields = this.refusedSwitch.has(key) ? {} : this.preset.reasoningSwitch(on, effort);
    if (Object.keys(fields).some((field) => failure.text.includes(field)) && once('switch')) {
      this.refusedSwitch.add(key);
      return messages;
    }
    const sentMaxTokens =
      !this.completionTokensOnly.has(settings.model) && tokenLimitField(this.preset, fields) === 'max_tokens';
    if (sentMaxTokens && failure.text.includes('max_tokens') && once('limit')) {
      this.completionTokensOnly.add(settings.model);
      return messages;
    }
    return undefined;
  }

  private learn(data: unknown, headers: Headers): void {
    if (!this.detecting || this.provider !== 'generic') return;
    const detected = providerFromResponse(data, headers);
    if (!detected) return;
    this.provider = detected;
    this.options.onDetected?.(detected);
  }
}

function typedFailure(failure: ModelFailure, error: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error);
  if (failure.kind === 'transient' || failure.kind === 'rate-limited') {
    return new ModelUnavailableError(`model call failed: ${reason}`, { cause: error });
  }
  return new RequestRejectedError(`model rejected the request: ${reason}`, { cause: error });
}
