import type { Citation } from '../../core/citation';
import { cutText } from '../../core/product-card';
import { citationTexts } from '../../core/reply-texts';
import type { Translator } from '../../i18n/translator';
import { WHATSAPP_PRODUCT_LIMITS } from './product-messages';

/**
 * An answer's sources on WhatsApp: one interactive `cta_url` message per source, its line in the
 * body ("Returns: 30 days, unworn — Shipping & returns", a web result marked as such) and an
 * "Open source" button to its page. The Cloud API takes one URL button per message, body ≤ 1024
 * characters, button text ≤ 20.
 */
export function whatsAppCitationMessages(
  to: string,
  citations: Citation[],
  t: Translator,
): Array<Record<string, unknown>> {
  const limits = WHATSAPP_PRODUCT_LIMITS;
  return citations.flatMap((citation) =>
    citation.url
      ? [
          {
            messaging_product: 'whatsapp',
            recipient_type: 'individual',
            to,
            type: 'interactive',
            interactive: {
              type: 'cta_url',
              body: { text: cutText(citationTexts.line(t, { ...citation, url: undefined }), limits.bodyChars) },
              action: {
                name: 'cta_url',
                parameters: {
                  display_text: cutText(citationTexts.open(t), limits.ctaDisplayTextChars),
                  url: citation.url,
                },
              },
            },
          },
        ]
      : [],
  );
}
