import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Meta signs every webhook POST with `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`,
 * keyed with the app secret. The HMAC must run over the raw bytes as received: Meta escapes
 * non-ASCII as \uXXXX before signing, so re-serialised JSON would not match. One implementation,
 * used by every platform's route.
 */
const PREFIX = 'sha256=';
const HEX_DIGEST_LENGTH = 64;

export function signBody(body: Buffer | string, secret: string): string {
  return PREFIX + createHmac('sha256', secret).update(body).digest('hex');
}

export function isValidSignature(body: Buffer, header: string | undefined, secret: string): boolean {
  if (!header || !header.startsWith(PREFIX)) return false;
  const hex = header.slice(PREFIX.length);
  if (hex.length !== HEX_DIGEST_LENGTH || !/^[0-9a-fA-F]+$/.test(hex)) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(hex, 'hex'));
}
