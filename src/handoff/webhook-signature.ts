import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The plain webhook target's signature, both ways: `X-Threadline-Signature: sha256=<hex>`, the
 * HMAC-SHA256 of the raw body bytes with HANDOFF_WEBHOOK_SECRET. Checked on the bytes as they
 * arrived, before any parsing, and in constant time.
 */
export const SIGNATURE_HEADER = 'x-threadline-signature';
/** Names one delivery: the same message posted again carries the same value, for the helpdesk to drop. */
export const DELIVERY_HEADER = 'x-threadline-delivery';

export function signBody(body: string | Buffer, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function hasValidSignature(body: Buffer, header: unknown, secret: string): boolean {
  if (typeof header !== 'string') return false;
  const expected = Buffer.from(signBody(body, secret));
  const given = Buffer.from(header.trim().toLowerCase());
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A stable name for a body: a replay of the same request is the same delivery. */
export function deliveryIdOf(body: string | Buffer): string {
  return createHash('sha256').update(body).digest('hex').slice(0, 32);
}
