import type { Attachment } from '../core/inbound';
import { documentTexts, replyTexts } from '../core/reply-texts';
import type { Translator } from '../i18n/translator';
import { readChatDocument } from '../knowledge/chat-document';
import { DocumentChildError } from '../knowledge/document-reader';
import { DEFAULT_DOCUMENT_LIMITS } from '../media/document';
import { MediaError } from '../media/errors';
import { withPlace } from '../media/place';
import {
  composeInput,
  firstFailure,
  readAttachment,
  refuseExtraAttachments,
  type MediaReaders,
  type PreparedInput,
} from '../media/prepare-input';
import { DEFAULT_VIDEO_LIMITS } from '../media/video-input';
import { notice, type GatheredTurn, type TurnOutcome, type TurnStart } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';

/** The media settings and readers, and the metrics their runs are timed in. */
export type MediaDeps = Pick<TurnDependencies, 'media' | 'metrics' | 'model'>;

/**
 * Read media: every voice note, photo, document and video of the gathered turn, read in parallel
 * (downloaded, sniffed, run through ffmpeg or the document reader's child process, sound through
 * speech-to-text), with the turn's abort signal, so a worker shutting down kills them and cancels
 * the speech-to-text request. A shared place becomes a line of the turn. Returns `read` with the
 * user's turn as the model should read it (`input`; none without media or a place) or, when
 * something could not be read, `unreadable` with the one friendly text that says what failed. A
 * transient failure with attempts left is thrown, so the job is retried instead.
 */
export async function readMedia(turn: GatheredTurn, deps: MediaDeps): Promise<MediaReading> {
  const message = withPlace(turn.gathered);
  if (message.attachments.length === 0) {
    return { kind: 'read', input: message.location ? composeInput(message, []) : undefined };
  }
  const readers = mediaReaders(turn, deps);
  const refused = refuseExtraAttachments(message.attachments, readers.settings);
  const early = turn.headReadings;
  const rest = refused
    ? []
    : message.attachments.slice(early.length).map((a) => readAttachment(a, readers, turn.signal));
  const readings = refused ? [] : await Promise.all([...early, ...rest]);
  const failure = refused ?? firstFailure(readings);
  if (!failure) {
    const input = composeInput(message, readings);
    return { kind: 'read', input: { ...input, notes: capNotes(turn.t, input) } };
  }
  const error = failure.error;
  if (turn.signal.aborted) throw error;
  if (error instanceof MediaError && error.transient && turn.canRetry) throw error;
  const reason = error instanceof MediaError ? error.reason : 'unreadable';
  if (error instanceof MediaError) turn.log.warn({ err: error, reason, kind: failure.kind }, 'media could not be read');
  else turn.log.error({ err: error, kind: failure.kind }, 'media failed unexpectedly');
  const text = replyTexts.media(turn.t, reason, failure.kind, mediaCaps(failure.kind, deps));
  return { kind: 'unreadable', outcome: notice(text, `media:${reason}`) };
}

/** The media read (the user's turn as the model reads it), or the notice that says what could not be. */
export type MediaReading =
  { kind: 'read'; input: PreparedInput | undefined } | { kind: 'unreadable'; outcome: TurnOutcome };

/** The caps a failure of this kind names (a voice note's length, a file's size). */
function mediaCaps(kind: Attachment['kind'], deps: MediaDeps) {
  const { settings } = deps.media;
  const documents = settings.documents ?? DEFAULT_DOCUMENT_LIMITS;
  const video = settings.video ?? DEFAULT_VIDEO_LIMITS;
  const maxBytes = {
    audio: settings.maxAudioBytes,
    image: settings.maxImageBytes,
    document: documents.maxBytes,
    video: video.maxBytes,
  };
  return { maxSeconds: kind === 'video' ? video.maxSeconds : settings.voiceNoteMaxSeconds, maxBytes: maxBytes[kind] };
}

/** What the person is told beside the answer when a cap cut a document short. */
function capNotes(t: Translator, input: PreparedInput): string[] {
  return (input.documentsRead ?? []).flatMap((document) =>
    document.pagesRead
      ? [documentTexts.pagesCapped(t, document.pagesRead, document.totalPages)]
      : document.charsKept
        ? [documentTexts.charsCapped(t, document.charsKept)]
        : [],
  );
}

/** The platform's download, speech-to-text and the deployment's media limits, for this turn. */
export function mediaReaders(turn: Pick<TurnStart, 'adapter'>, deps: MediaDeps): MediaReaders {
  return {
    fetch: turn.adapter.fetchMedia,
    stt: deps.media.stt,
    settings: deps.media.settings,
    transcodeDuration: deps.metrics.transcodeDuration,
    parseDocument: (format, bytes, limits) => readChatDocument(format, bytes, limits),
    documentRefusal: (error) => (error instanceof DocumentChildError ? error.why : undefined),
    seesImages: () => deps.model !== null && (deps.model.takesImages?.() ?? true),
  };
}
