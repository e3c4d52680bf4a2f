import type { InboundMessage } from '../core/inbound';
import { replyTexts } from '../core/reply-texts';
import { gatherTurn, type TurnMergeDependencies } from '../conversation/turn-merge';
import type { Logger } from '../logging';
import { MediaError } from './errors';
import {
  composeInput,
  firstFailure,
  readAttachment,
  refuseExtraAttachments,
  type MediaReaders,
  type PreparedInput,
} from './prepare-input';

/**
 * The media step of a turn, run by the turn worker before the model is asked: gather the photo
 * and its question into one turn, read every voice note and photo, and hand back either the
 * user's turn as the model should see it, or the one friendly text that explains what failed.
 * The head's own attachments start downloading at once, so a photo waiting for its question
 * spends that time being fetched and normalised.
 */

export interface MediaTurnRequest {
  message: InboundMessage;
  key: string;
  conversation: string;
  /** when the message reached us (the job's creation): the merge window counts from here */
  arrivedAtMs: number;
  /** false on the turn's last attempt: a transient failure then becomes a friendly text */
  canRetry: boolean;
  readers: MediaReaders;
}

export interface MediaTurn {
  /** the head, with absorbed messages' text and photos merged in */
  message: InboundMessage;
  absorbed: string[];
  /** set when the turn had media and all of it was read */
  input?: PreparedInput;
  /** set when some media could not be read: answer this instead of calling the model */
  notice?: { text: string; reason: string };
}

export interface MediaTurnDependencies {
  merge: Omit<TurnMergeDependencies, 'windowMs'> & { windowMs: number };
  logger: Logger;
}

export function createMediaTurnPreparer(deps: MediaTurnDependencies) {
  return async function prepareMediaTurn(request: MediaTurnRequest): Promise<MediaTurn> {
    const { readers } = request;
    const head = request.message.attachments;
    const early = refuseExtraAttachments(head, readers.settings) ? [] : head.map((a) => readAttachment(a, readers));
    const gathered = await gatherTurn(
      request.message,
      request.key,
      request.conversation,
      request.arrivedAtMs,
      deps.merge,
    );
    const { message, absorbed } = gathered;
    if (message.attachments.length === 0) return { message, absorbed };
    const refused = refuseExtraAttachments(message.attachments, readers.settings);
    const rest = refused ? [] : message.attachments.slice(early.length).map((a) => readAttachment(a, readers));
    const readings = refused ? [] : await Promise.all([...early, ...rest]);
    const failure = refused ?? firstFailure(readings);
    if (!failure) return { message, absorbed, input: composeInput(message, readings) };

    const error = failure.error;
    if (error instanceof MediaError && error.transient && request.canRetry) throw error;
    const reason = error instanceof MediaError ? error.reason : 'unreadable';
    if (error instanceof MediaError)
      deps.logger.warn({ err: error, reason, kind: failure.kind }, 'media could not be read');
    else deps.logger.error({ err: error, kind: failure.kind }, 'media failed unexpectedly');
    const { settings } = readers;
    const text = replyTexts.media(reason, failure.kind, {
      maxSeconds: settings.voiceNoteMaxSeconds,
      maxBytes: failure.kind === 'audio' ? settings.maxAudioBytes : settings.maxImageBytes,
    });
    return { message, absorbed, notice: { text, reason: `media:${reason}` } };
  };
}

export type MediaTurnPreparer = ReturnType<typeof createMediaTurnPreparer>;
