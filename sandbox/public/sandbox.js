// Threadline sandbox page: plain JavaScript, no build step. It draws the three conversations from
// GET /sandbox/api/state, keeps them live over server-sent events, and sends what the user types,
// records or attaches to the Meta emulator (which delivers it to Threadline as a signed webhook).
'use strict';

const PLATFORMS = ['whatsapp', 'messenger', 'instagram'];
const ICONS = {
  send: '<svg viewBox="0 0 24 24" fill="currentColor"><path d="M3.4 20.4 21 12 3.4 3.6 3.4 10l12.6 2-12.6 2z"/></svg>',
  mic: '<svg viewBox="0 0 24 24" fill="currentColor"><path d="M12 14a3 3 0 0 0 3-3V5a3 3 0 1 0-6 0v6a3 3 0 0 0 3 3zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.9V21h2v-3.1A7 7 0 0 0 19 11z"/></svg>',
  stop: '<svg viewBox="0 0 24 24" fill="currentColor"><rect x="6" y="6" width="12" height="12" rx="2"/></svg>',
  attach:
    '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"><path d="M20.5 11.5 12 20a5 5 0 0 1-7-7l8.5-8.5a3.3 3.3 0 0 1 4.7 4.7L9.7 17.7a1.7 1.7 0 0 1-2.4-2.4L15 7.6"/></svg>',
  photo:
    '<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2"><rect x="3" y="4" width="18" height="16" rx="3"/><circle cx="9" cy="10" r="2"/><path d="m21 16-5-5-9 9"/></svg>',
};
const PLATFORM_NAMES = { whatsapp: 'WhatsApp', messenger: 'Messenger', instagram: 'Instagram' };

const state = { items: new Map(), typing: {}, recorder: null };
const chats = {};
for (const platform of PLATFORMS) {
  const root = document.querySelector(`.chat[data-platform="${platform}"]`);
  const part = (role) => root.querySelector(`[data-role="${role}"]`);
  chats[platform] = {
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

// ---------- drawing ----------

const timeOf = (ms) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
const el = (tag, className, text) => {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
};

function ticks(status) {
  if (status === 'read') return el('span', 'tick tick--read', '✓✓');
  if (status === 'delivered') return el('span', 'tick', '✓✓');
  if (status === 'sent') return el('span', 'tick', '✓');
  return el('span', 'tick', '🕓');
}

const sizeText = (bytes) => (bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(bytes < 10240 ? 1 : 0)} KB`);

// A file the business sent (a WhatsApp document, a Messenger file): a link that saves it.
function fileLink(item) {
  const link = el('a', 'file-link');
  link.href = `/sandbox/api/media/${encodeURIComponent(item.mediaId)}`;
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

function bubbleFor(item) {
  const hasMedia = item.kind === 'image' || item.kind === 'audio' || item.kind === 'file';
  const shape = item.kind === 'file' ? ' bubble--file' : hasMedia ? ' bubble--media' : '';
  const bubble = el('div', `bubble${shape}`);
  bubble.dataset.kind = item.kind;
  // As the apps do: a message's direction follows its first letter (Arabic reads right to left).
  bubble.dir = 'auto';
  if (item.kind === 'image') {
    const img = el('img');
    img.alt = item.text || 'photo';
    img.src = `/sandbox/api/media/${encodeURIComponent(item.mediaId)}`;
    bubble.append(img);
  } else if (item.kind === 'audio') {
    const audio = el('audio');
    audio.controls = true;
    audio.preload = 'metadata';
    audio.src = `/sandbox/api/media/${encodeURIComponent(item.mediaId)}`;
    bubble.append(audio);
  } else if (item.kind === 'file') {
    bubble.append(fileLink(item));
  }
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
function replyButtons(item) {
  const box = el('div', 'wa-reply-buttons');
  for (const reply of item.quickReplies) {
    const button = el('button', 'wa-reply-button', reply.title);
    button.type = 'button';
    button.addEventListener('click', () => sendText(item.platform, reply.title, reply.payload));
    box.append(button);
  }
  return box;
}

function cardBubble(item) {
  const bubble = el('div', 'bubble bubble--card');
  bubble.dataset.kind = 'card';
  bubble.dataset.card = item.card.type;
  bubble.append(window.SandboxCards.draw(item, (title, payload) => sendPostback(item.platform, title, payload)));
  if (item.platform === 'whatsapp') bubble.append(el('span', 'meta', timeOf(item.at)));
  return bubble;
}

function drawItem(item) {
  const chat = chats[item.platform];
  const existing = chat.messages.querySelector(`[data-id="${CSS.escape(item.id)}"]`);
  if (existing) return;
  const rows = chat.messages.querySelectorAll('.row:not(.typing-row)');
  const previous = rows[rows.length - 1];
  const row = el('div', `row row--${item.from}`);
  row.dataset.id = item.id;
  row.dataset.from = item.from;
  const first = !previous || previous.dataset.from !== item.from;
  if (first) row.classList.add('row--first', 'row--gap');
  row.append(item.kind === 'card' && item.card ? cardBubble(item) : bubbleFor(item));
  if (item.platform === 'whatsapp' && item.quickReplies?.length) row.append(replyButtons(item));
  if (item.kind === 'card') row.classList.add('row--card');
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

function setStatus(platform, id, status) {
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

function setTyping(platform, on) {
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

// A conversation opens at its latest message and follows new ones, unless the person scrolled
// up to read: then it stays where they are, as the apps do.
function scrollDown(platform) {
  const box = chats[platform].messages;
  requestAnimationFrame(() => box.scrollTo({ top: box.scrollHeight, behavior: 'instant' }));
}

function keepAtBottom(platform) {
  if (chats[platform].stick !== false) scrollDown(platform);
}

function showError(platform, message) {
  const note = el('div', 'error-note', message);
  chats[platform].messages.append(note);
  scrollDown(platform);
  setTimeout(() => note.remove(), 8000);
}

const logLines = document.getElementById('devlog-lines');
function addLogLine(line) {
  const li = el('li', `p-${line.platform}`);
  const time = el('time', '', new Date(line.at).toLocaleTimeString());
  const arrow =
    line.direction === 'webhook' ? 'meta → threadline' : line.direction === 'graph' ? 'threadline → meta' : 'info';
  li.append(time, document.createTextNode(`[${line.platform}] ${arrow}  ${line.summary}`));
  logLines.append(li);
  while (logLines.children.length > 300) logLines.firstChild.remove();
  logLines.scrollTop = logLines.scrollHeight;
}

function handleEvent(event) {
  if (event.type === 'message') {
    state.items.set(event.item.id, event.item);
    if (event.item.from === 'bot') setTyping(event.item.platform, false);
    drawItem(event.item);
  } else if (event.type === 'status') {
    setStatus(event.platform, event.id, event.status);
  } else if (event.type === 'typing') {
    setTyping(event.platform, event.on);
  } else if (event.type === 'log') {
    addLogLine(event);
  }
}

// ---------- sending ----------

async function post(url, body, contentType) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': contentType }, body });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new Error(problem.error || `HTTP ${response.status}`);
  }
  return response.json();
}

async function sendText(platform, text, quickReplyPayload) {
  try {
    await post(`/sandbox/api/${platform}/text`, JSON.stringify({ text, quickReplyPayload }), 'application/json');
  } catch (error) {
    showError(platform, `Could not send: ${error.message}`);
  }
}

async function sendPostback(platform, title, payload) {
  try {
    await post(`/sandbox/api/${platform}/postback`, JSON.stringify({ title, payload }), 'application/json');
  } catch (error) {
    showError(platform, `Could not send: ${error.message}`);
  }
}

async function sendMedia(platform, blob, options) {
  const query = new URLSearchParams({ kind: options.kind });
  if (options.voice) query.set('voice', '1');
  if (options.caption) query.set('caption', options.caption);
  try {
    await post(
      `/sandbox/api/${platform}/media?${query}`,
      blob,
      blob.type || (options.kind === 'image' ? 'image/jpeg' : 'audio/ogg'),
    );
  } catch (error) {
    showError(platform, `Could not send the ${options.kind === 'image' ? 'photo' : 'audio'}: ${error.message}`);
  }
}

function refreshAction(platform) {
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

async function toggleRecording(platform) {
  const chat = chats[platform];
  if (state.recorder) {
    const { recorder, platform: recordingOn } = state.recorder;
    if (recordingOn === platform) recorder.stop();
    return;
  }
  if (!navigator.mediaDevices?.getUserMedia || typeof MediaRecorder === 'undefined') {
    showError(platform, 'No microphone here: choose an audio file instead.');
    chat.file.accept = 'audio/*';
    chat.file.click();
    return;
  }
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true });
  } catch {
    showError(platform, 'Microphone not allowed: choose an audio file instead.');
    chat.file.accept = 'audio/*';
    chat.file.click();
    return;
  }
  // WhatsApp voice notes are OGG/Opus; browsers record Opus in OGG (Firefox) or WebM (Chromium).
  const type = ['audio/ogg;codecs=opus', 'audio/webm;codecs=opus', 'audio/mp4'].find((t) =>
    MediaRecorder.isTypeSupported(t),
  );
  const recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
  const chunks = [];
  const started = Date.now();
  const pill = el('div', 'record-pill', 'Recording 0:00 · tap ■ to send');
  const field = chat.root.querySelector('.composer__field');
  field.hidden = true;
  field.after(pill);
  const timer = setInterval(() => {
    const s = Math.floor((Date.now() - started) / 1000);
    pill.textContent = `Recording ${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')} · tap ■ to send`;
  }, 250);
  recorder.ondataavailable = (e) => e.data.size > 0 && chunks.push(e.data);
  recorder.onstop = () => {
    clearInterval(timer);
    pill.remove();
    field.hidden = false;
    stream.getTracks().forEach((t) => t.stop());
    state.recorder = null;
    chat.root.classList.remove('is-recording');
    (chat.record || chat.action).innerHTML = chat.record ? ICONS.mic : ICONS.mic;
    refreshAction(platform);
    const mime = (recorder.mimeType || type || 'audio/webm').replace(/;\s*codecs=/, '; codecs=');
    const blob = new Blob(chunks, { type: mime.split(';')[0] });
    if (blob.size > 0) sendMedia(platform, new Blob([blob], { type: mime }), { kind: 'audio', voice: true });
  };
  state.recorder = { recorder, platform };
  chat.root.classList.add('is-recording');
  if (chat.record) chat.record.innerHTML = ICONS.stop;
  refreshAction(platform);
  recorder.start();
}

for (const platform of PLATFORMS) {
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
    const text = chat.input.value.trim();
    if (text) {
      chat.input.value = '';
      refreshAction(platform);
      sendText(platform, text);
    } else if (platform === 'whatsapp') {
      toggleRecording(platform);
    }
  });
  chat.record?.addEventListener('click', () => toggleRecording(platform));
  chat.attach.addEventListener('click', () => {
    chat.file.accept = 'image/*,audio/*';
    chat.file.click();
  });
  chat.file.addEventListener('change', () => {
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
  });
}

// ---------- tabs (narrow screens) ----------

document.querySelectorAll('.tab').forEach((tab) => {
  tab.addEventListener('click', () => {
    document.querySelectorAll('.tab').forEach((t) => t.setAttribute('aria-selected', String(t === tab)));
    for (const platform of PLATFORMS) chats[platform].root.classList.toggle('is-active', platform === tab.dataset.tab);
    // A conversation drawn while its tab was hidden could not scroll: it opens at its latest message now.
    keepAtBottom(tab.dataset.tab);
  });
});

const logToggle = document.getElementById('log-toggle');
logToggle.addEventListener('click', () => {
  const devlog = document.getElementById('devlog');
  devlog.hidden = !devlog.hidden;
  logToggle.setAttribute('aria-expanded', String(!devlog.hidden));
  logLines.scrollTop = logLines.scrollHeight;
  // The log takes room below the conversations, which shrink: each stays at its latest message.
  PLATFORMS.forEach(keepAtBottom);
});

// ---------- live connection ----------

function showModel(model) {
  const badge = document.getElementById('model-badge');
  badge.className = `badge ${model.kind === 'demo' ? 'badge--demo' : 'badge--ok'}`;
  document.getElementById('model-label').textContent =
    model.kind === 'demo' ? 'Offline demo responder (not a model)' : `Model: ${model.label}`;
  badge.title = model.hint || '';
  const banner = document.getElementById('demo-banner');
  banner.hidden = model.kind !== 'demo';
  document.getElementById('demo-hint').textContent = model.kind === 'demo' && model.hint ? model.hint : '';
}

async function loadState() {
  const response = await fetch('/sandbox/api/state', { cache: 'no-store' });
  const snapshot = await response.json();
  showModel(snapshot.model);
  for (const item of snapshot.items) {
    const known = state.items.get(item.id);
    state.items.set(item.id, item);
    if (!known) drawItem(item);
    else setStatus(item.platform, item.id, item.status);
  }
  if (logLines.children.length === 0) snapshot.log.forEach(addLogLine);
  const failed = PLATFORMS.filter((p) => snapshot.handshakes && snapshot.handshakes[p] === false);
  if (failed.length)
    failed.forEach((p) => showError(p, `${PLATFORM_NAMES[p]} webhook handshake failed: see the developer log.`));
}

function connect() {
  const badge = document.getElementById('conn-badge');
  const label = document.getElementById('conn-label');
  const source = new EventSource('/sandbox/api/events');
  source.onopen = () => {
    badge.className = 'badge badge--ok';
    label.textContent = 'live';
    loadState().catch(() => undefined);
  };
  source.onmessage = (message) => handleEvent(JSON.parse(message.data));
  source.onerror = () => {
    badge.className = 'badge badge--down';
    label.textContent = 'reconnecting…';
  };
}

connect();
