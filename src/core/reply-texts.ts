import type { Translator } from '../i18n/translator';

/**
 * The short texts users get when the bot cannot answer normally. Friendly, specific about what
 * happened and what to do, and never blaming the user. The words are in the catalogues
 * (src/i18n/catalogues).
 */

/** What the media pipeline could not do, as the user should hear it (see src/media/errors.ts). */
export type MediaProblem =
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
  | 'no-speech'
  /** the image header declares more pixels than MEDIA_MAX_IMAGE_PIXELS: never decoded */
  | 'too-many-pixels'
  /** more voice notes and photos in one turn than MEDIA_MAX_ATTACHMENTS: none is read */
  | 'too-many-attachments'
  /** a document that needs a password to open */
  | 'document-encrypted'
  /** a PDF that names JavaScript: refused before any parser runs */
  | 'document-scripts'
  /** a DOCX whose parts claim to inflate far past its size (a zip bomb): refused before parsing */
  | 'document-bomb'
  /** the document's parser hit its time or memory ceiling */
  | 'document-too-complex'
  /** a PDF whose pages read have no text layer (scanned pages) */
  | 'document-no-text';

const size = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;

/** A kind of message the bot cannot open, as the person's language names it ("videos"). */
const kindName = (t: Translator, kind: string) => t('reply.kind', { kind });

export const replyTexts = {
  unsupported: (t: Translator, kind: string) => t('reply.unsupported', { what: kindName(t, kind) }),
  /** closes an answer whose message also carried a part the bot could not open */
  leftOut: (t: Translator, kind: string) => t('reply.leftOut', { what: kindName(t, kind) }),
  modelNotConfigured: (t: Translator) => t('reply.modelNotConfigured'),
  /** contact cards carry other people's details: not used, nothing kept */
  contactsNotUsed: (t: Translator) => t('contacts.notUsed'),
  modelFailed: (t: Translator) => t('reply.modelFailed'),
  /** the model spent its whole answer thinking (or was cut off before it answered) */
  modelNoAnswer: (t: Translator) => t('reply.modelNoAnswer'),
  /** the conversation no longer fits the model, even shortened */
  conversationTooLong: (t: Translator) => t('reply.conversationTooLong'),
  /** the configured model server takes no images */
  photosNotSupported: (t: Translator) => t('reply.photosNotSupported'),
  /** closes an answer the model's token limit cut off */
  answerCutShort: (t: Translator) => t('reply.answerCutShort'),
  /** closes the last message of an answer too long to send in full (see MAX_REPLY_PARTS in split.ts) */
  answerShortened: (t: Translator) => t('reply.answerShortened'),
  media(
    t: Translator,
    problem: MediaProblem,
    kind: 'audio' | 'image' | 'document' | 'video',
    limits: { maxSeconds: number; maxBytes: number },
  ): string {
    if (kind === 'document' || kind === 'video') return fileProblem(t, problem, kind, limits);
    switch (problem) {
      case 'too-long':
        return limits.maxSeconds % 60 === 0
          ? t('media.tooLong', { minutes: limits.maxSeconds / 60 })
          : t('media.tooLongSeconds', { seconds: limits.maxSeconds });
      case 'too-big':
        return t('media.tooBig', { kind, size: size(limits.maxBytes) });
      case 'unsupported-type':
        return replyTexts.unsupported(t, kind);
      case 'unreadable':
        return t(kind === 'audio' ? 'media.unreadableAudio' : 'media.unreadableImage');
      case 'stt-failed':
        return t('media.sttFailed');
      case 'no-speech':
        return t('media.noSpeech');
      case 'too-many-pixels':
        return t('media.tooManyPixels');
      case 'too-many-attachments':
        return t('media.tooManyAttachments');
      default:
        return t('media.downloadFailed', { kind });
    }
  },
};

/** A document's or video's problem: the texts that name the file as what it is. */
function fileProblem(
  t: Translator,
  problem: MediaProblem,
  kind: 'document' | 'video',
  limits: { maxSeconds: number; maxBytes: number },
): string {
  switch (problem) {
    case 'too-long':
      return t('video.tooLong', { seconds: limits.maxSeconds });
    case 'too-big':
      return t('media.fileTooBig', { kind, size: size(limits.maxBytes) });
    case 'unsupported-type':
    case 'unreadable':
      return t(kind === 'video' ? 'video.unreadable' : 'document.unreadable');
    case 'stt-failed':
      return t('media.sttFailed');
    case 'too-many-attachments':
      return t('media.tooManyAttachments');
    case 'document-encrypted':
      return t('document.encrypted');
    case 'document-scripts':
      return t('document.scripts');
    case 'document-bomb':
      return t('document.bomb');
    case 'document-too-complex':
      return t('document.tooComplex');
    case 'document-no-text':
      return t('document.noText');
    default:
      return t('media.fileDownloadFailed', { kind });
  }
}

/** What the person is told beside an answer about a document a cap cut short. */
export const documentTexts = {
  pagesCapped: (t: Translator, read: number, total: number) => t('document.pagesCapped', { read, total }),
  charsCapped: (t: Translator, chars: number) => t('document.charsCapped', { chars }),
};

/** How an answer's sources read under it (src/core/citation.ts). */
export const citationTexts = {
  /** the text of a button that opens a source (WhatsApp and Messenger allow 20 characters) */
  open: (t: Translator) => t('citation.open'),
  /** above the source lines of an answer */
  heading: (t: Translator) => t('citation.heading'),
  /**
   * One source, e.g. "Returns: 30 days, unworn — Shipping & returns › https://shop.example/returns";
   * a web result is marked as the web, so it is never mistaken for the business's own word.
   */
  line(t: Translator, citation: { label: string; source: string; url: string | undefined; web: boolean }): string {
    const where = citation.url ? `${citation.source} › ${citation.url}` : citation.source;
    const line = `${citation.label} — ${where}`;
    return citation.web ? t('citation.web', { line }) : line;
  },
};

/** What answers built on the business's knowledge say by themselves (docs/knowledge.md). */
export const knowledgeTexts = {
  /** strict mode: a question about the business its documents do not answer */
  unknown: (t: Translator) => t('knowledge.unknown'),
  /** closes an answer from which a promise no document supports was taken out */
  promiseRemoved: (t: Translator) => t('knowledge.promiseRemoved'),
  /** an answer that was nothing but a promise no document supports */
  promiseWithheld: (t: Translator) => t('knowledge.promiseWithheld'),
};
