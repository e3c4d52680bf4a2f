// The live connection: the state snapshot from GET /sandbox/api/state, then server-sent events for
// each message, delivery status, typing indicator and log line.
import { drawItem, setStatus, setTyping } from './conversation.js';
import { addLogLine, logIsEmpty } from './devlog.js';
import { PLATFORMS, PLATFORM_NAMES, showError, state } from './page.js';

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
  if (logIsEmpty()) snapshot.log.forEach(addLogLine);
  const failed = PLATFORMS.filter((p) => snapshot.handshakes && snapshot.handshakes[p] === false);
  if (failed.length)
    failed.forEach((p) => showError(p, `${PLATFORM_NAMES[p]} webhook handshake failed: see the developer log.`));
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

export function connect() {
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
