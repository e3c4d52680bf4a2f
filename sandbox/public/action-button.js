// The button at the end of the composer: WhatsApp's turns from microphone to send as the person
// types, and to stop while a voice note records.
import { ICONS } from './icons.js';
import { chats, state } from './page.js';

export function refreshAction(platform) {
  const chat = chats[platform];
  const hasText = chat.input.value.trim().length > 0;
  chat.root.classList.toggle('has-text', hasText);
  if (platform === 'whatsapp') {
    const recording = state.recorder?.platform === platform;
    chat.action.innerHTML = hasText ? ICONS.send : recording ? ICONS.stop : ICONS.mic;
    chat.action.setAttribute(
      'aria-label',
      hasText ? 'Send' : recording ? 'Stop and send voice note' : 'Record a voice note',
    );
  }
}
