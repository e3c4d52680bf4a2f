/** Base for the inference errors: keeps the cause and names itself after its class. */
export class InferenceError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The model could not answer now (timeout, 5xx, 429, connection): worth retrying later. */
export class ModelUnavailableError extends InferenceError {}

/** The model answered but not usefully (no text, rejected request): retrying will not help. */
export class ModelRejectedError extends InferenceError {}

/** The server refused the request itself (a 4xx other than 408/409/429): e.g. it has no tool support. */
export class RequestRejectedError extends ModelRejectedError {}

/**
 * The model answered with nothing a person can read: it only reasoned (`only-reasoning`), the
 * token limit cut it before the answer (`cut-off`), or the answer was empty (`empty`).
 */
export class ModelNoAnswerError extends ModelRejectedError {
  constructor(readonly reason: 'only-reasoning' | 'cut-off' | 'empty') {
    super(`model gave no answer (${reason})`);
  }
}

/** The conversation is too long for the model's context, even with its older half left out. */
export class ContextTooLongError extends ModelRejectedError {}

/** The backend takes no images (LLM_PROVIDER's preset) and the person's turn has a photo. */
export class ImagesNotSupportedError extends ModelRejectedError {}
