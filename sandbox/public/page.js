// The three conversations on the page: their parts, what the page remembers about them, and how each
// keeps showing its latest message.
import { el } from './dom.js';

export const PLATFORMS = ['whatsapp', 'messenger', 'instagram'];
export const PLATFORM_NAMES = { whatsapp: 'WhatsApp', messenger: 'Messenger', instagram: 'Instagram' };

/** Every message drawn (by id), who is typing, and the voice note being recorded. */
export const state = { items: new Map(), typing: {}, recorder: null };

function chatParts(platform) {
  const root = document.querySelector(`.chat[data-platform="${platform}"]`);
  const part = (role) => root.querySelector(`[data-role="${role}"]`);
  return {
    root,
    messages: part('messages'),
    input: part('input'),
    action: part('action'),
    attach: part('attach'),
    record: part('record'),
    file: part('file'),
    status: part('status'),
    quickReplies: part('quick-replies'),
    defaultStatus: part('status').textContent,
  };
}

/** Each platform's conversation: its elements, plus `stick` (whether it follows new messages). */
export const chats = Object.fromEntries(PLATFORMS.map((platform) => [platform, chatParts(platform)]));

// A conversation opens at its latest message and follows new ones, unless the person scrolled
// up to read: then it stays where they are, as the apps do.
export function scrollDown(platform) {
  const box = chats[platform].messages;
  requestAnimationFrame(() => box.scrollTo({ top: box.scrollHeight, behavior: 'instant' }));
}

export function keepAtBottom(platform) {
  if (chats[platform].stick !== false) scrollDown(platform);
}

/** A note under the conversation that goes away by itself. */
export function showError(platform, message) {
  const note = el('div', 'error-note', message);
  chats[platform].messages.append(note);
  scrollDown(platform);
  setTimeout(() => note.remove(), 8000);
}
