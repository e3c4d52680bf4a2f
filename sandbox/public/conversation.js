// The conversation view: messages in order, delivery ticks or receipts, the typing dots and the
// quick-reply chips under the latest answer.
import { bubbleFor, cardBubble, replyButtons, ticks } from './bubbles.js';
import { el } from './dom.js';
import { chats, keepAtBottom, scrollDown, state } from './page.js';
import { sendText } from './send.js';

function showQuickReplies(item) {
  const box = chats[item.platform].quickReplies;
  if (!box) return;
  box.replaceChildren();
  for (const reply of item.quickReplies || []) {
    const chip = el('button', 'quick-reply', reply.title);
    chip.type = 'button';
    chip.addEventListener('click', () => {
      box.replaceChildren();
      sendText(item.platform, reply.title, reply.payload);
    });
    box.append(chip);
  }
}

function rowFor(item, previous) {
  const row = el('div', `row row--${item.from}`);
  row.dataset.id = item.id;
  row.dataset.from = item.from;
  const first = !previous || previous.dataset.from !== item.from;
  if (first) row.classList.add('row--first', 'row--gap');
  row.append(item.kind === 'card' && item.card ? cardBubble(item) : bubbleFor(item));
  if (item.platform === 'whatsapp' && item.quickReplies?.length) row.append(replyButtons(item));
  if (item.kind === 'card') row.classList.add('row--card');
  return row;
}

export function drawItem(item) {
  const chat = chats[item.platform];
  const existing = chat.messages.querySelector(`[data-id="${CSS.escape(item.id)}"]`);
  if (existing) return;
  const rows = chat.messages.querySelectorAll('.row:not(.typing-row)');
  const row = rowFor(item, rows[rows.length - 1]);
  const typingRow = chat.messages.querySelector('.typing-row');
  chat.messages.insertBefore(row, typingRow);
  // Pictures arrive after their row: the conversation stays at its latest message as they load.
  row.querySelectorAll('img').forEach((img) => img.addEventListener('load', () => keepAtBottom(item.platform)));
  if (item.from === 'bot') showQuickReplies(item);
  updateReceipts(item.platform);
  if (item.from === 'user') chat.stick = true;
  keepAtBottom(item.platform);
}

function updateReceipts(platform) {
  if (platform === 'whatsapp') return;
  const chat = chats[platform];
  chat.messages.querySelectorAll('.receipt').forEach((n) => n.remove());
  const userRows = chat.messages.querySelectorAll('.row--user');
  const last = userRows[userRows.length - 1];
  if (!last) return;
  const item = state.items.get(last.dataset.id);
  if (!item) return;
  const words = {
    sending: 'Sending…',
    sent: 'Sent',
    delivered: platform === 'messenger' ? 'Delivered' : 'Sent',
    read: 'Seen',
    failed: 'Not delivered',
  };
  last.append(el('div', 'receipt', words[item.status] || ''));
}

export function setStatus(platform, id, status) {
  const item = state.items.get(id);
  if (!item) return;
  item.status = status;
  if (platform === 'whatsapp') {
    const meta = chats.whatsapp.messages.querySelector(`[data-id="${CSS.escape(id)}"] .meta`);
    if (meta) {
      meta.querySelector('.tick')?.remove();
      meta.append(ticks(status));
    }
  } else {
    updateReceipts(platform);
  }
}

export function setTyping(platform, on) {
  const chat = chats[platform];
  state.typing[platform] = on;
  chat.root.classList.toggle('is-typing', on);
  chat.status.textContent = on ? 'typing…' : chat.defaultStatus;
  let row = chat.messages.querySelector('.typing-row');
  if (on && !row) {
    row = el('div', 'row row--bot typing-row');
    const bubble = el('div', 'bubble typing');
    bubble.append(el('i'), el('i'), el('i'));
    row.append(bubble);
    chat.messages.append(row);
    scrollDown(platform);
  } else if (!on && row) {
    row.remove();
  }
}
