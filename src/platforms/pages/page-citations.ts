import type { Citation } from '../../core/citation';
import { cutText } from '../../core/product-card';
import { citationTexts } from '../../core/reply-texts';
import type { Translator } from '../../i18n/translator';

/**
 * An answer's sources on Messenger and Instagram: one button template (`template_type:
 * "button"`), its text the sources' lines (≤ 640 characters) and one `web_url` button per source
 * (1–3, titles ≤ 20 characters), the same on both (Instagram renders it in its apps, not on the
 * web, so the answer's text stands on its own there).
 */

export const BUTTON_TEMPLATE_LIMITS = { textChars: 640, buttons: 3, buttonTitleChars: 20 } as const;

/** A whole Send API body for `POST /{version}/me/messages`; null when no source has a link. */
export function citationButtonsBody(
  recipientId: string,
  citations: Citation[],
  t: Translator,
): Record<string, unknown> | null {
  const limits = BUTTON_TEMPLATE_LIMITS;
  const linked = citations.filter((citation) => citation.url).slice(0, limits.buttons);
  if (linked.length === 0) return null;
  const numbered = linked.length > 1;
  const lines = linked.map(
    (c, i) => `${numbered ? `${i + 1}. ` : ''}${citationTexts.line(t, { ...c, url: undefined })}`,
  );
  const buttons = linked.map((c, i) => ({
    type: 'web_url',
    url: c.url,
    title: cutText(
      numbered ? `${i + 1}. ${c.source || citationTexts.open(t)}` : c.source || citationTexts.open(t),
      limits.buttonTitleChars,
    ),
  }));
  return {
    recipient: { id: recipientId },
    messaging_type: 'RESPONSE',
    message: {
      attachment: {
        type: 'template',
        payload: { template_type: 'button', text: cutText(lines.join('\n'), limits.textChars), buttons },
      },
    },
  };
}
