import { timed, type Metrics } from '../metrics/metrics';
import type { ChatModel, ModelUsage } from './chat-model';
import type { SpeechToText } from './speech-to-text';

/**
 * The model and speech-to-text clients with their calls measured: duration by result, and the
 * tokens the model reports. The model label is the configured model name, a handful of values,
 * not what the server echoes back (which may carry dated suffixes).
 */
export function observeChatModel(model: ChatModel, metrics: Metrics): ChatModel {
  const observe = async <T extends { usage?: ModelUsage | undefined }>(
    labels: { mode: string; model: string },
    call: () => Promise<T>,
  ): Promise<T> => {
    const answer = await timed(
      (seconds, result) => metrics.modelCallDuration.observe({ ...labels, result }, seconds),
      call,
    );
    if (answer.usage) {
      metrics.modelTokens.inc({ ...labels, kind: 'prompt' }, answer.usage.promptTokens);
      metrics.modelTokens.inc({ ...labels, kind: 'completion' }, answer.usage.completionTokens);
      // Reasoning tokens are part of the completion tokens; counted apart too, where the backend says.
      if (answer.usage.reasoningTokens) {
        metrics.modelTokens.inc({ ...labels, kind: 'reasoning' }, answer.usage.reasoningTokens);
      }
    }
    return answer;
  };
  const converse = model.converse?.bind(model);
  const takesImages = model.takesImages?.bind(model);
  return {
    ...(takesImages ? { takesImages } : {}),
    complete: (request) => observe({ mode: request.mode, model: request.model }, () => model.complete(request)),
    // Each tool round is one call in the metrics, under the mode that made it.
    ...(converse
      ? {
          converse: (request) =>
            observe({ mode: request.mode ?? 'shopping', model: request.model }, () => converse(request)),
        }
      : {}),
  };
}

export function observeSpeechToText(stt: SpeechToText, metrics: Metrics): SpeechToText {
  return {
    transcribe: (request) =>
      timed(
        (seconds, result) => metrics.speechToTextDuration.observe({ result }, seconds),
        () => stt.transcribe(request),
      ),
  };
}
