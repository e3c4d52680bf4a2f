import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from 'node:crypto';

/**
 * Meta signs every webhook POST with `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`,
 * keyed with the app secret. The HMAC must run over the raw bytes as received: Meta escapes
 * non-ASCII as \uXXXX before signing, so re-serialised JSON would not match. One implementation,
 * used by every platform's route.
 */
const PREFIX = 'sha256=';
const SIGNATURE_SHAPE = /^sha256=[0-9a-fA-F]{64}$/;

export function signBody(body: Buffer | string, secret: string): string {
  return PREFIX + createHmac('sha256', secret).update(body).digest('hex');
}

/**
 * The digest a header claims, or undefined when the header is missing or not of Meta's form.
 * Checked before the body is read, so a request that cannot be genuine costs no buffering.
 */
export function signatureDigest(header: string | undefined): Buffer | undefined {
  if (!header || !SIGNATURE_SHAPE.test(header)) return undefined;
  return Buffer.from(header.slice(PREFIX.length), 'hex');
}

export function isValidSignature(body: Buffer, header: string | undefined, secret: string): boolean {
  const claimed = signatureDigest(header);
  return claimed !== undefined && matchesDigest(body, claimed, secret);
}

export function matchesDigest(body: Buffer, claimed: Buffer, secret: string): boolean {
  const expected = createHmac('sha256', keyFor(secret)).update(body).digest();
  return timingSafeEqual(expected, claimed);
}

/**
 * The secret as a key object, made once: a string key is turned into one on every createHmac,
 * which on the webhook path cost about as much as hashing a small body. Apps have one or two
 * secrets, so the cache stays that small.
 */
function keyFor(secret: string): KeyObject {
  let key = preparedKeys.get(secret);
  if (!key) preparedKeys.set(secret, (key = createSecretKey(Buffer.from(secret, 'utf8'))));
  return key;
}
const preparedKeys = new Map<string, KeyObject>();
