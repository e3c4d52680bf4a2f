/**
 * The short texts users get when the bot cannot answer normally. Friendly, specific about what
 * happened and what to do, and never blaming the user.
 */

const READABLE = 'text messages';

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
  audio: 'voice notes or audio',
  image: 'photos',
  interactive: 'that kind of message',
};

export const replyTexts = {
  unsupported(kind: string): string {
    const what = NAMES[kind] ?? 'that kind of message';
    return `Sorry, I can't open ${what} yet. I can read ${READABLE}: could you type your question?`;
  },
  modelNotConfigured:
    "I'm not connected to a language model yet, so I can't answer. (For the operator: set LLM_BASE_URL and LLM_MODEL_FAST.)",
  modelFailed: "Sorry, I couldn't come up with an answer just now. Please try again in a minute.",
};
