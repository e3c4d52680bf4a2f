/**
 * One message of an answer, as the ledger keeps it and the sender sends it: a text part (split at
 * the platform's limit), or a product card message already built by the platform's adapter (a
 * Send API body: WhatsApp product or CTA message, Messenger/Instagram carousel). Both ride the
 * same pending reply and the same per-part exactly-once record, so cards keep the text's order.
 */
export type ReplyPart = string | { card: Record<string, unknown> };

export function isReplyPart(value: unknown): value is ReplyPart {
  if (typeof value === 'string') return true;
  if (typeof value !== 'object' || value === null || !('card' in value)) return false;
  const card: unknown = value.card;
  return typeof card === 'object' && card !== null && !Array.isArray(card);
}

/** The index of the last text part: where choices (quick replies, reply buttons) ride. */
export function lastTextIndex(parts: ReplyPart[]): number {
  for (let i = parts.length - 1; i >= 0; i -= 1) if (typeof parts[i] === 'string') return i;
  return -1;
}
