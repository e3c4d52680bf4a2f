import OpenAI, { toFile } from 'openai';
import { InferenceError } from './errors';

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
  const client = new OpenAI({
    baseURL: options.baseUrl,
    apiKey: options.apiKey ?? 'no-key',
    timeout: options.timeoutMs,
    maxRetries: 0,
  });
  return {
    async transcribe({ audio, fileName, mimeType, signal }) {
      let result: unknown;
      try {
        const file = await toFile(audio, fileName, { type: mimeType });
        result = await client.audio.transcriptions.create({ file, model: options.model, response_format: 'json' }, { signal });
      } catch (error) {
        const status = error instanceof OpenAI.APIError ? error.status : undefined;
        const transient = status === undefined || status === 408 || status === 409 || status === 429 || status >= 500;
        const reason = error instanceof Error ? error.message : String(error);
        if (transient) throw new SpeechToTextUnavailableError(`speech-to-text failed: ${reason}`, { cause: error });
        throw new SpeechToTextRejectedError(`speech-to-text rejected the audio: ${reason}`, { cause: error });
      }
      const text = (result as { text?: unknown } | null)?.text;
      if (typeof text !== 'string') throw new SpeechToTextRejectedError('speech-to-text answered without text');
      return text.trim();
    },
  };
}
