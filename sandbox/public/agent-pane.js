// The agent pane: the sandbox's helpdesk (sandbox/helpdesk.ts) is Threadline's plain-webhook
// handoff target; this pane shows the conversations waiting for a person, their transcript, a box
// to reply as the agent and a Resolve button, through GET /sandbox/api/agent/conversations and
// POST .../reply, .../resolve.

const API = '/sandbox/api/agent/';
const STYLE = `
  .agent-pane { margin: 16px auto; max-width: 960px; padding: 12px 16px; border: 1px solid #d0d7de;
    border-radius: 12px; background: #fff; font: 14px/1.4 system-ui, sans-serif; }
  .agent-pane h2 { font-size: 16px; margin: 0 0 8px; }
  .agent-pane__body { display: grid; grid-template-columns: 220px 1fr; gap: 12px; }
  .agent-pane__list { list-style: none; margin: 0; padding: 0; }
  .agent-pane__list button { width: 100%; text-align: left; padding: 6px 8px; margin-bottom: 4px;
    border: 1px solid #d0d7de; border-radius: 8px; background: #f6f8fa; cursor: pointer; }
  .agent-pane__list button.is-selected { border-color: #0969da; background: #ddf4ff; }
  .agent-pane__transcript { list-style: none; margin: 0 0 8px; padding: 0; max-height: 260px; overflow: auto; }
  .agent-pane__line { padding: 4px 8px; margin: 2px 0; border-radius: 8px; background: #f6f8fa; }
  .agent-pane__line--agent { background: #dafbe1; }
  .agent-pane__line--assistant { background: #fff8c5; }
  .agent-pane__form { display: flex; gap: 8px; }
  .agent-pane__form input { flex: 1; padding: 6px 8px; }
  .agent-pane__note { color: #57606a; min-height: 1.4em; }`;

const MARKUP = `
  <h2>Agent pane <small>(you are the person from the team: /human in a chat hands it to you)</small></h2>
  <div class="agent-pane__body">
    <ul class="agent-pane__list" data-role="waiting" aria-label="Conversations waiting for a person"></ul>
    <div>
      <ol class="agent-pane__transcript" data-role="transcript" aria-label="Transcript"></ol>
      <form class="agent-pane__form" data-role="form">
        <input data-role="reply" placeholder="Reply as the agent (/bot gives it back)" aria-label="Agent reply" />
        <button type="submit" data-role="send">Send</button>
        <button type="button" data-role="resolve">Resolve</button>
      </form>
      <p class="agent-pane__note" data-role="note" aria-live="polite"></p>
    </div>
  </div>`;

const pane = { selected: null, conversations: [], root: null };
const part = (role) => pane.root.querySelector(`[data-role="${role}"]`);

async function post(action, body) {
  const response = await fetch(API + action, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return response.json().catch(() => ({}));
}

function conversationButton(conversation) {
  const item = document.createElement('li');
  const button = document.createElement('button');
  button.type = 'button';
  button.dataset.conversation = conversation.conversation;
  button.className = conversation.conversation === pane.selected ? 'is-selected' : '';
  button.textContent = `${conversation.platform} · ${conversation.reason}${conversation.resolved ? ' · resolved' : ''}`;
  button.addEventListener('click', () => {
    pane.selected = conversation.conversation;
    draw();
  });
  item.appendChild(button);
  return item;
}

function drawTranscript() {
  const transcript = part('transcript');
  const conversation = pane.conversations.find((c) => c.conversation === pane.selected);
  transcript.replaceChildren(
    ...(conversation ? conversation.lines : []).map((line) => {
      const item = document.createElement('li');
      item.className = `agent-pane__line agent-pane__line--${line.from}`;
      item.textContent = `${line.from}: ${line.text}`;
      return item;
    }),
  );
  transcript.scrollTop = transcript.scrollHeight;
}

function draw() {
  part('waiting').replaceChildren(...pane.conversations.map(conversationButton));
  drawTranscript();
}

async function refresh() {
  try {
    const response = await fetch(`${API}conversations`);
    if (!response.ok) return;
    pane.conversations = (await response.json()).conversations || [];
    const open = pane.conversations.find((c) => !c.resolved);
    if (!pane.selected && open) pane.selected = open.conversation;
    draw();
  } catch {
    // the page server restarting: try again on the next tick
  }
}

async function sendReply(event) {
  event.preventDefault();
  const reply = part('reply');
  const text = reply.value.trim();
  if (!pane.selected || !text) return;
  const answer = await post('reply', { conversation: pane.selected, text });
  part('note').textContent = answer.delivered
    ? 'Sent to the person.'
    : `Not sent: ${answer.detail || answer.reason || 'failed'}`;
  if (answer.delivered || answer.reason === 'returned') reply.value = '';
  await refresh();
}

async function resolve() {
  if (!pane.selected) return;
  const answer = await post('resolve', { conversation: pane.selected });
  part('note').textContent = answer.returned
    ? 'Resolved: the assistant has the conversation again.'
    : 'Already resolved.';
  await refresh();
}

/** Draws the pane into #agent-pane (absent: no pane) and keeps it current. */
export function startAgentPane() {
  pane.root = document.getElementById('agent-pane');
  if (!pane.root) return;
  const style = document.createElement('style');
  style.textContent = STYLE;
  document.head.appendChild(style);
  pane.root.innerHTML = MARKUP;
  part('form').addEventListener('submit', (event) => void sendReply(event));
  part('resolve').addEventListener('click', () => void resolve());
  void refresh();
  setInterval(() => void refresh(), 1000);
}

startAgentPane();
