import type { MediaProblem } from '../core/reply-texts';

/**
 * Why a voice note or photo could not be read. Each reason (MediaProblem, listed with its meaning
 * in src/core/reply-texts.ts) maps to one friendly text; `transient` says whether trying the same
 * turn again later may help (a network blip, speech-to-text down), so the turn job retries within
 * its bounded attempts.
 */
export type MediaFailureReason = MediaProblem;

export class MediaError extends Error {
  constructor(
    readonly reason: MediaFailureReason,
    message: string,
    readonly transient = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'MediaError';
  }
}

/** The media URL answered 401, 403 or 404: on WhatsApp that means "fetch a fresh URL". */
export class MediaUrlExpiredError extends MediaError {
  constructor(
    readonly httpStatus: number,
    message: string,
  ) {
    super('unavailable', message);
    this.name = 'MediaUrlExpiredError';
  }
}
