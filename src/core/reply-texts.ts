/**
 * The short texts users get when the bot cannot answer normally. Friendly, specific about what
 * happened and what to do, and never blaming the user.
 */

const READABLE = 'text, voice notes and photos';

const NAMES: Record<string, string> = {
  video: 'videos',
  sticker: 'stickers',
  document: 'documents',
  file: 'files',
  location: 'locations',
  contacts: 'contact cards',
  order: 'orders',
  share: 'shared posts',
  story_mention: 'story mentions',
  reel: 'reels',
  ig_reel: 'reels',
  ephemeral: 'disappearing media',
  audio: 'that audio file',
  image: 'that image file',
  interactive: 'that kind of message',
};

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
  | 'too-many-attachments';

const size = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
const duration = (seconds: number) =>
  seconds % 60 === 0
    ? `${seconds / 60} minute${seconds === 60 ? '' : 's'}`
    : `${seconds} second${seconds === 1 ? '' : 's'}`;

export const replyTexts = {
  unsupported(kind: string): string {
    const what = NAMES[kind] ?? 'that kind of message';
    return `Sorry, I can't open ${what}. I can read ${READABLE}: could you send it as one of those?`;
  },
  /** closes an answer whose message also carried a part the bot could not open */
  leftOut(kind: string): string {
    const what = NAMES[kind] ?? 'that kind of message';
    return `(Part of your message was something I can't open: ${what}. I answered the rest.)`;
  },
  modelNotConfigured:
    "I'm not connected to a language model yet, so I can't answer. (For the operator: set LLM_BASE_URL and LLM_MODEL_FAST.)",
  modelFailed: "Sorry, I couldn't come up with an answer just now. Please try again in a minute.",
  /** the model spent its whole answer thinking (or was cut off before it answered) */
  modelNoAnswer:
    'Sorry, I thought about that for so long that I ran out of room before answering. Could you ask again, perhaps in a simpler way?',
  /** the conversation no longer fits the model, even shortened */
  conversationTooLong:
    'Sorry, this conversation has grown longer than I can take in. Send /reset to start afresh, then ask again.',
  /** the configured model server takes no images */
  photosNotSupported: "Sorry, I can't look at photos here. Could you tell me in words what it shows?",
  /** closes an answer the model's token limit cut off */
  answerCutShort: '(My answer was cut off here. Ask me to go on if you need the rest.)',
  /** closes the last message of an answer too long to send in full (see MAX_REPLY_PARTS in split.ts) */
  answerShortened: '(I shortened this answer: it was too long to send in full. Ask me about the part you need.)',
  media(problem: MediaProblem, kind: 'audio' | 'image', limits: { maxSeconds: number; maxBytes: number }): string {
    const what = kind === 'audio' ? 'voice note' : 'photo';
    switch (problem) {
      case 'too-long':
        return `That voice note is longer than I can listen to (up to ${duration(limits.maxSeconds)}). Could you send a shorter one, or type it?`;
      case 'too-big':
        return `That ${what} is too big for me (up to ${size(limits.maxBytes)}). Could you send a smaller one?`;
      case 'unsupported-type':
        return replyTexts.unsupported(kind);
      case 'unreadable':
        return kind === 'audio'
          ? "Sorry, I couldn't play that voice note: the file seems damaged. Could you record it again, or type it?"
          : "Sorry, I couldn't open that photo: the file seems damaged. Could you send it again?";
      case 'stt-failed':
        return "Sorry, I can't listen to voice notes right now. Could you type your message instead?";
      case 'no-speech':
        return "I couldn't make out any words in that voice note. Could you try again, or type it?";
      case 'too-many-pixels':
        return "That photo's dimensions are too large for me to open. Could you send a smaller version or a screenshot?";
      case 'too-many-attachments':
        return "That's more photos and voice notes than I can take in at once. Could you send them a few at a time?";
      default:
        return `Sorry, I couldn't download that ${what}. Could you send it again?`;
    }
  },
};
