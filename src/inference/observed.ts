import { timed, type Metrics } from '../metrics/metrics';
import type { ChatModel } from './chat-model';
import type { SpeechToText } from './speech-to-text';

/**
 * The model and speech-to-text clients with their calls measured: duration by result, and the
 * tokens the model reports. The model label is the configured model name, a handful of values,
 * not what the server echoes back (which may carry dated suffixes).
 */
export function observeChatModel(model: ChatModel, metrics: Metrics): ChatModel {
  return {
    async complete(request) {
      const labels = { mode: request.mode, model: request.model };
      const answer = await timed(
        (seconds, result) => metrics.modelCallDuration.observe({ ...labels, result }, seconds),
        () => model.complete(request),
      );
      if (answer.usage) {
        metrics.modelTokens.inc({ ...labels, kind: 'prompt' }, answer.usage.promptTokens);
        metrics.modelTokens.inc({ ...labels, kind: 'completion' }, answer.usage.completionTokens);
      }
      return answer;
    },
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
