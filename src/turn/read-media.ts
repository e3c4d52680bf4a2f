import { replyTexts } from '../core/reply-texts';
import { MediaError } from '../media/errors';
import {
  composeInput,
  firstFailure,
  readAttachment,
  refuseExtraAttachments,
  type MediaReaders,
  type PreparedInput,
} from '../media/prepare-input';
import { notice, type GatheredTurn, type TurnOutcome, type TurnStart } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';

/** The media settings and readers, and the metrics their runs are timed in. */
export type MediaDeps = Pick<TurnDependencies, 'media' | 'metrics'>;

/**
 * Read media: every voice note and photo of the gathered turn, read in parallel (downloaded,
 * sniffed, run through ffmpeg, voice notes through speech-to-text), with the turn's abort signal,
 * so a worker shutting down kills ffmpeg and cancels the speech-to-text request. Returns `read`
 * with the user's turn as the model should read it (`input`; none without media) or, when
 * something could not be read, `unreadable` with the one friendly text that says what failed. A
 * transient failure with attempts left is thrown, so the job is retried instead.
 */
export async function readMedia(turn: GatheredTurn, deps: MediaDeps): Promise<MediaReading> {
  const message = turn.gathered;
  if (message.attachments.length === 0) return { kind: 'read', input: undefined };
  const readers = mediaReaders(turn, deps);
  const refused = refuseExtraAttachments(message.attachments, readers.settings);
  const early = turn.headReadings;
  const rest = refused
    ? []
    : message.attachments.slice(early.length).map((a) => readAttachment(a, readers, turn.signal));
  const readings = refused ? [] : await Promise.all([...early, ...rest]);
  const failure = refused ?? firstFailure(readings);
  if (!failure) return { kind: 'read', input: composeInput(message, readings) };
  const error = failure.error;
  if (turn.signal.aborted) throw error;
  if (error instanceof MediaError && error.transient && turn.canRetry) throw error;
  const reason = error instanceof MediaError ? error.reason : 'unreadable';
  if (error instanceof MediaError) turn.log.warn({ err: error, reason, kind: failure.kind }, 'media could not be read');
  else turn.log.error({ err: error, kind: failure.kind }, 'media failed unexpectedly');
  const { settings } = deps.media;
  const text = replyTexts.media(turn.t, reason, failure.kind, {
    maxSeconds: settings.voiceNoteMaxSeconds,
    maxBytes: failure.kind === 'audio' ? settings.maxAudioBytes : settings.maxImageBytes,
  });
  return { kind: 'unreadable', outcome: notice(text, `media:${reason}`) };
}

/** The media read (the user's turn as the model reads it), or the notice that says what could not be. */
export type MediaReading =
  { kind: 'read'; input: PreparedInput | undefined } | { kind: 'unreadable'; outcome: TurnOutcome };

/** The platform's download, speech-to-text and the deployment's media limits, for this turn. */
export function mediaReaders(turn: Pick<TurnStart, 'adapter'>, deps: MediaDeps): MediaReaders {
  return {
    fetch: turn.adapter.fetchMedia,
    stt: deps.media.stt,
    settings: deps.media.settings,
    transcodeDuration: deps.metrics.transcodeDuration,
  };
}
