import { documentTexts, replyTexts } from '../core/reply-texts';
import { readChatDocument } from '../knowledge/chat-document';
import { DocumentChildError } from '../knowledge/document-reader';
import { DEFAULT_DOCUMENT_LIMITS } from '../media/document';
import { withPlace } from '../media/place';
import { DEFAULT_VIDEO_LIMITS } from '../media/video-input';
import { MediaError } from '../media/errors';
import {
  composeInput,
  firstFailure,
  readAttachment,
  refuseExtraAttachments,
  type MediaReaders,
} from '../media/prepare-input';
import type { Attachment } from '../core/inbound';
import { notice, type TurnContext } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';

/**
 * Read media: every voice note and photo of the gathered turn, read in parallel (downloaded,
 * sniffed, run through ffmpeg, voice notes through speech-to-text), with the turn's abort signal,
 * so a worker shutting down kills ffmpeg and cancels the speech-to-text request. Sets `input`
 * (the user's turn as the model should read it) or, when something could not be read, `outcome`:
 * the one friendly text that says what failed. A transient failure with attempts left is thrown,
 * so the job is retried instead.
 */
export async function readMedia(turn: TurnContext, deps: TurnDependencies): Promise<void> {
  const message = withPlace(turn.gathered ?? turn.message);
  if (message.attachments.length === 0) {
    if (message.location) turn.input = composeInput(message, []);
    return;
  }
  const readers = mediaReaders(turn, deps);
  const refused = refuseExtraAttachments(message.attachments, readers.settings);
  const early = turn.headReadings ?? [];
  const rest = refused
    ? []
    : message.attachments.slice(early.length).map((a) => readAttachment(a, readers, turn.signal));
  const readings = refused ? [] : await Promise.all([...early, ...rest]);
  const failure = refused ?? firstFailure(readings);
  if (!failure) {
    turn.input = composeInput(message, readings);
    turn.input.notes = capNotes(turn);
    return;
  }
  const error = failure.error;
  if (turn.signal.aborted) throw error;
  if (error instanceof MediaError && error.transient && turn.canRetry) throw error;
  const reason = error instanceof MediaError ? error.reason : 'unreadable';
  if (error instanceof MediaError)
    deps.logger.warn({ err: error, reason, kind: failure.kind }, 'media could not be read');
  else deps.logger.error({ err: error, kind: failure.kind }, 'media failed unexpectedly');
  const text = replyTexts.media(turn.t, reason, failure.kind, mediaCaps(failure.kind, deps));
  turn.outcome = notice(text, `media:${reason}`);
}

/** The caps a failure of this kind names (a voice note's length, a file's size). */
function mediaCaps(kind: Attachment['kind'], deps: TurnDependencies) {
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
function capNotes(turn: TurnContext): string[] {
  return (turn.input?.documentsRead ?? []).flatMap((document) =>
    document.pagesRead
      ? [documentTexts.pagesCapped(turn.t, document.pagesRead, document.totalPages)]
      : document.charsKept
        ? [documentTexts.charsCapped(turn.t, document.charsKept)]
        : [],
  );
}

/** The platform's download, speech-to-text and the deployment's media limits, for this turn. */
export function mediaReaders(turn: TurnContext, deps: TurnDependencies): MediaReaders {
  return {
    fetch: turn.adapter.fetchMedia,
    stt: deps.media.stt,
    settings: deps.media.settings,
    transcodeDuration: deps.metrics.transcodeDuration,
    parseDocument: (format, bytes, limits) => readChatDocument(format, bytes, limits),
    documentRefusal: (error) => (error instanceof DocumentChildError ? error.why : undefined),
  };
}
