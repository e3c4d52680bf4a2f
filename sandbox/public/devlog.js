// The developer log: each signed webhook to Threadline and each Graph API call from it, one line each.
import { el } from './dom.js';
import { PLATFORMS, keepAtBottom } from './page.js';

const logLines = document.getElementById('devlog-lines');

export const logIsEmpty = () => logLines.children.length === 0;

export function addLogLine(line) {
  const li = el('li', `p-${line.platform}`);
  const time = el('time', '', new Date(line.at).toLocaleTimeString());
  const arrow =
    line.direction === 'webhook' ? 'meta → threadline' : line.direction === 'graph' ? 'threadline → meta' : 'info';
  li.append(time, document.createTextNode(`[${line.platform}] ${arrow}  ${line.summary}`));
  logLines.append(li);
  while (logLines.children.length > 300) logLines.firstChild.remove();
  logLines.scrollTop = logLines.scrollHeight;
}

export function wireDevlogToggle() {
  const logToggle = document.getElementById('log-toggle');
  logToggle.addEventListener('click', () => {
    const devlog = document.getElementById('devlog');
    devlog.hidden = !devlog.hidden;
    logToggle.setAttribute('aria-expanded', String(!devlog.hidden));
    logLines.scrollTop = logLines.scrollHeight;
    // The log takes room below the conversations, which shrink: each stays at its latest message.
    PLATFORMS.forEach(keepAtBottom);
  });
}
