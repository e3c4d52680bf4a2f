/**
 * Why a voice note or photo could not be read. Each reason maps to one friendly text
 * (reply-texts.ts); `transient` says whether trying the same turn again later may help
 * (a network blip, speech-to-text down), so the turn job retries within its bounded attempts.
 */
export type MediaFailureReason =
  /** the host is not in MEDIA_ALLOWED_HOSTS (or the URL is not https): never fetched */
  | 'host-not-allowed'
  /** larger than the download cap */
  | 'too-big'
  /** longer than VOICE_NOTE_MAX_SECONDS */
  | 'too-long'
  /** the bytes are not a format we read, or not what the message claimed */
  | 'unsupported-type'
  /** ffmpeg could not decode it (corrupt, truncated, empty) */
  | 'unreadable'
  /** the platform no longer serves it, or refused us */
  | 'unavailable'
  /** network failure, timeout or 5xx while downloading */
  | 'download-failed'
  /** speech-to-text is down, not configured, or refused the audio */
  | 'stt-failed'
  /** speech-to-text heard no words */
  | 'no-speech';

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
