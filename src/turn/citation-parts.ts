import { linkedCitations, type Citation } from '../core/citation';
import { citationTexts } from '../core/reply-texts';
import type { ReplyPart } from '../core/reply-part';
import { MAX_CITATION_BUTTONS } from '../platforms/adapter';
import type { TurnContext } from '../turn-state/turn-context';

/**
 * How an answer's sources reach the person in this app: those with a link as the app's buttons
 * (a WhatsApp CTA URL message each, a Messenger or Instagram button template), after the text and
 * any product cards; the rest (a local document, a fourth link, an app without buttons) as short
 * lines under the text, "Returns: 30 days, unworn — Shipping & returns › https://…".
 */
export function citationParts(
  turn: Pick<TurnContext, 'adapter' | 'message' | 't'>,
  citations: readonly Citation[] | undefined,
): { lines: string; parts: ReplyPart[] } {
  if (!citations || citations.length === 0) return { lines: '', parts: [] };
  const { adapter, message, t } = turn;
  const buttoned = adapter.citationMessages ? linkedCitations(citations).slice(0, MAX_CITATION_BUTTONS) : [];
  const to = { channelId: message.channelId, userId: message.userId };
  const messages = buttoned.length > 0 ? (adapter.citationMessages?.(to, buttoned, t) ?? []) : [];
  const shown = new Set(messages.length > 0 ? buttoned.map((citation) => citation.url) : []);
  const rest = citations.filter((citation) => !citation.url || !shown.has(citation.url));
  const lines =
    rest.length > 0
      ? `\n\n${citationTexts.heading(t)}\n${rest.map((c) => `• ${citationTexts.line(t, c)}`).join('\n')}`
      : '';
  return { lines, parts: messages.map((card) => ({ card })) };
}
