import { toFile } from 'openai';
import { InferenceError } from './errors';
import { createOpenAiClient, isTransientApiFailure } from './openai-client';

/**
 * Speech-to-text through any OpenAI-compatible `POST /audio/transcriptions` (OpenAI Whisper,
 * Groq, a local whisper.cpp or faster-whisper server, ...): multipart with the audio file and
 * the model name. The `openai` SDK builds the multipart body; its own retries are off because
 * the turn job retries.
 */

export interface SpeechToText {
  transcribe(request: { audio: Buffer; fileName: string; mimeType: string; signal?: AbortSignal }): Promise<string>;
}

/** Worth trying again later: timeout, 5xx, 429, connection refused. */
export class SpeechToTextUnavailableError extends InferenceError {}

/** The request was refused or the answer was unusable: trying again will not help. */
export class SpeechToTextRejectedError extends InferenceError {}

export interface OpenAiSpeechToTextOptions {
  baseUrl: string;
  apiKey: string | undefined;
  model: string;
  timeoutMs: number;
}

export function createOpenAiSpeechToText(options: OpenAiSpeechToTextOptions): SpeechToText {
  const client = createOpenAiClient(options);
  return {
    async transcribe({ audio, fileName, mimeType, signal }) {
      let response: unknown;
      try {
        const file = await toFile(audio, fileName, { type: mimeType });
        response = await client.audio.transcriptions.create(
          { file, model: options.model, response_format: 'json' },
          { signal },
        );
      } catch (error) {
        const transient = isTransientApiFailure(error);
        const reason = error instanceof Error ? error.message : String(error);
        if (transient) throw new SpeechToTextUnavailableError(`speech-to-text failed: ${reason}`, { cause: error });
        throw new SpeechToTextRejectedError(`speech-to-text rejected the audio: ${reason}`, { cause: error });
      }
      const text = (response as { text?: unknown } | null)?.text;
      if (typeof text !== 'string') throw new SpeechToTextRejectedError('speech-to-text answered without text');
      return text.trim();
    },
  };
}
