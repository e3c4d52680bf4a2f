// Each conversation's composer: typed text, the voice-note button, and photos or audio files attached
// (whatever is typed becomes their caption).
import { refreshAction } from './action-button.js';
import { ICONS } from './icons.js';
import { chats, showError } from './page.js';
import { toggleRecording } from './recorder.js';
import { sendMedia, sendText } from './send.js';

function sendTyped(platform) {
  const chat = chats[platform];
  const text = chat.input.value.trim();
  if (text) {
    chat.input.value = '';
    refreshAction(platform);
    sendText(platform, text);
  } else if (platform === 'whatsapp') {
    toggleRecording(platform);
  }
}

function sendChosenFile(platform) {
  const chat = chats[platform];
  const file = chat.file.files?.[0];
  chat.file.value = '';
  if (!file) return;
  const kind = file.type.startsWith('image/') ? 'image' : file.type.startsWith('audio/') ? 'audio' : null;
  if (!kind) return showError(platform, 'Photos and audio files only.');
  // Whatever is typed becomes the caption, as in the apps.
  const caption = chat.input.value.trim();
  chat.input.value = '';
  refreshAction(platform);
  sendMedia(platform, file, { kind, caption: caption || undefined, voice: false });
}

export function wireComposer(platform) {
  const chat = chats[platform];
  chat.attach.innerHTML = platform === 'whatsapp' ? ICONS.attach : ICONS.photo;
  if (chat.record) chat.record.innerHTML = ICONS.mic;
  if (platform === 'messenger') chat.action.innerHTML = ICONS.send;
  refreshAction(platform);

  chat.input.addEventListener('input', () => refreshAction(platform));
  chat.messages.addEventListener('scroll', () => {
    const box = chat.messages;
    // A hidden conversation (another tab) has no size: it keeps following until it is shown.
    if (box.clientHeight > 0) chat.stick = box.scrollHeight - box.scrollTop - box.clientHeight < 60;
  });
  chat.root.querySelector('[data-role="composer"]').addEventListener('submit', (event) => {
    event.preventDefault();
    sendTyped(platform);
  });
  chat.record?.addEventListener('click', () => toggleRecording(platform));
  chat.attach.addEventListener('click', () => {
    chat.file.accept = 'image/*,audio/*';
    chat.file.click();
  });
  chat.file.addEventListener('change', () => sendChosenFile(platform));
}
