// On narrow screens one conversation shows at a time, chosen by the tabs above them.
import { PLATFORMS, chats, keepAtBottom } from './page.js';

export function wireTabs() {
  document.querySelectorAll('.tab').forEach((tab) => {
    tab.addEventListener('click', () => {
      document.querySelectorAll('.tab').forEach((t) => t.setAttribute('aria-selected', String(t === tab)));
      for (const platform of PLATFORMS)
        chats[platform].root.classList.toggle('is-active', platform === tab.dataset.tab);
      // A conversation drawn while its tab was hidden could not scroll: it opens at its latest message now.
      keepAtBottom(tab.dataset.tab);
    });
  });
}
