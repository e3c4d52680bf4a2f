// One message as the apps draw it: text (with tappable links from the business), a photo, a voice
// note, a file to download, a product card, and WhatsApp's ticks and reply buttons.
import { drawCard } from './cards.js';
import { el, timeOf } from './dom.js';
import { sendPostback, sendText } from './send.js';

export function ticks(status) {
  if (status === 'read') return el('span', 'tick tick--read', '✓✓');
  if (status === 'delivered') return el('span', 'tick', '✓✓');
  if (status === 'sent') return el('span', 'tick', '✓');
  return el('span', 'tick', '🕓');
}

const sizeText = (bytes) => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(bytes < 10240 ? 1 : 0)} KB`);
const mediaUrl = (item) => `/sandbox/api/media/${encodeURIComponent(item.mediaId)}`;

// A file the business sent (a WhatsApp document, a Messenger file): a link that saves it.
function fileLink(item) {
  const link = el('a', 'file-link');
  link.href = mediaUrl(item);
  link.download = item.filename || 'file';
  const kind = (item.filename || '').split('.').pop().toUpperCase();
  const about = el('span', 'file-link__about');
  about.append(el('span', 'file-link__name', item.filename || 'file'));
  about.append(el('span', 'file-link__meta', `${kind ? `${kind} · ` : ''}${sizeText(item.size || 0)} · Download`));
  link.append(el('span', 'file-link__icon', kind.slice(0, 4) || 'FILE'), about);
  return link;
}

// Links in the business's messages open, as the apps make them tappable.
function linkedText(text) {
  const fragment = document.createDocumentFragment();
  for (const [i, part] of text.split(/(https?:\/\/[^\s]+)/g).entries()) {
    if (i % 2 === 0) {
      if (part) fragment.append(document.createTextNode(part));
      continue;
    }
    const link = el('a', 'text-link', part);
    link.href = part;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    fragment.append(link);
  }
  return fragment;
}

/** The photo, audio player or file link of a media message; nothing for text. */
function mediaOf(item) {
  if (item.kind === 'image') {
    const img = el('img');
    img.alt = item.text || 'photo';
    img.src = mediaUrl(item);
    return img;
  }
  if (item.kind === 'audio') {
    const audio = el('audio');
    audio.controls = true;
    audio.preload = 'metadata';
    audio.src = mediaUrl(item);
    return audio;
  }
  if (item.kind === 'file') return fileLink(item);
  return undefined;
}

export function bubbleFor(item) {
  const hasMedia = item.kind === 'image' || item.kind === 'audio' || item.kind === 'file';
  const shape = item.kind === 'file' ? ' bubble--file' : hasMedia ? ' bubble--media' : '';
  const bubble = el('div', `bubble${shape}`);
  bubble.dataset.kind = item.kind;
  // As the apps do: a message's direction follows its first letter (Arabic reads right to left).
  bubble.dir = 'auto';
  const media = mediaOf(item);
  if (media) bubble.append(media);
  if (item.text && hasMedia) bubble.append(el('div', 'caption', item.text));
  else if (item.text) bubble.append(item.from === 'bot' ? linkedText(item.text) : document.createTextNode(item.text));
  if (item.platform === 'whatsapp') {
    const meta = el('span', 'meta', timeOf(item.at));
    if (item.from === 'user') meta.append(ticks(item.status));
    bubble.append(meta);
  }
  return bubble;
}

// WhatsApp reply buttons hang under their message and stay tappable, as in the app.
export function replyButtons(item) {
  const box = el('div', 'wa-reply-buttons');
  for (const reply of item.quickReplies) {
    const button = el('button', 'wa-reply-button', reply.title);
    button.type = 'button';
    button.addEventListener('click', () => sendText(item.platform, reply.title, reply.payload));
    box.append(button);
  }
  return box;
}

export function cardBubble(item) {
  const bubble = el('div', 'bubble bubble--card');
  bubble.dataset.kind = 'card';
  bubble.dataset.card = item.card.type;
  bubble.append(drawCard(item, (title, payload) => sendPostback(item.platform, title, payload)));
  if (item.platform === 'whatsapp') bubble.append(el('span', 'meta', timeOf(item.at)));
  return bubble;
}
