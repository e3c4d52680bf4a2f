import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Meta's `signed_request` (the Data Deletion Request Callback sends one): `<signature>.<payload>`,
 * both base64url; the signature is HMAC-SHA256 of the payload *as sent* (the base64url text)
 * with the app secret; the payload is JSON naming the algorithm, the app-scoped user id, when it
 * was issued and when it expires (Unix seconds; Meta's example expires an hour after issue).
 *
 * A valid signature stays valid forever, so a request is accepted only while it is fresh: issued
 * at most MAX_AGE_SECONDS ago (and not more than CLOCK_SKEW_SECONDS ahead of our clock), and not
 * past its own `expires`. Within that time the caller dedupes on `replayId`.
 */

/** How long after `issued_at` a request is still accepted. */
export const MAX_AGE_SECONDS = 3600;
/** How far our clock may lag Meta's. */
export const CLOCK_SKEW_SECONDS = 300;

export class SignedRequestError extends Error {
  constructor(reason: string) {
    super(`invalid signed_request: ${reason}`);
    this.name = 'SignedRequestError';
  }
}

const payloadSchema = z.looseObject({
  algorithm: z.string(),
  // Meta sends it as a string; older examples show a number.
  user_id: z.union([z.string(), z.number()]).transform((id) => String(id).trim()),
  issued_at: z.number().optional(),
  expires: z.number().optional(),
});

export interface SignedRequest {
  /** the app-scoped id of the person who asked */
  userId: string;
  /** Unix seconds */
  issuedAt: number;
  /** Unix seconds after which this request is refused (so it needs remembering until then) */
  acceptedUntil: number;
  /** the same for every copy of this request, and for no other: a hash of its signature bytes */
  replayId: string;
}

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

function fromBase64Url(text: string, what: string): Buffer {
  if (!BASE64URL.test(text)) throw new SignedRequestError(`${what} is not base64url`);
  return Buffer.from(text.replace(/=+$/, ''), 'base64url');
}

/** Refuses a request that is not fresh; answers until when it is accepted. */
function acceptedUntil(issuedAt: number, expires: number | undefined, nowMs: number): number {
  const now = Math.floor(nowMs / 1000);
  if (issuedAt > now + CLOCK_SKEW_SECONDS) throw new SignedRequestError('issued_at is in the future');
  const until = Math.min(issuedAt + MAX_AGE_SECONDS, expires ?? Number.POSITIVE_INFINITY);
  if (now > until) throw new SignedRequestError('expired');
  return until;
}

export function parseSignedRequest(signedRequest: unknown, appSecret: string, nowMs = Date.now()): SignedRequest {
  if (typeof signedRequest !== 'string' || signedRequest.length > 8192) {
    throw new SignedRequestError('missing');
  }
  const parts = signedRequest.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) throw new SignedRequestError('not <signature>.<payload>');
  const [encodedSignature, encodedPayload] = parts as [string, string];
  const signature = fromBase64Url(encodedSignature, 'signature');
  const expected = createHmac('sha256', appSecret).update(encodedPayload).digest();
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
    throw new SignedRequestError('signature does not match');
  }
  let json: unknown;
  try {
    json = JSON.parse(fromBase64Url(encodedPayload, 'payload').toString('utf8'));
  } catch (error) {
    if (error instanceof SignedRequestError) throw error;
    throw new SignedRequestError('payload is not JSON');
  }
  const payload = payloadSchema.safeParse(json);
  if (!payload.success) throw new SignedRequestError('payload lacks algorithm or user_id');
  if (payload.data.algorithm.toUpperCase() !== 'HMAC-SHA256') {
    throw new SignedRequestError(`unexpected algorithm ${payload.data.algorithm}`);
  }
  // App-scoped ids are numeric; anything else cannot be one of ours to erase.
  if (!/^\d{1,30}$/.test(payload.data.user_id)) throw new SignedRequestError('user_id is not an app-scoped id');
  const issuedAt = payload.data.issued_at;
  // Without it a signature would open a request for ever.
  if (issuedAt === undefined) throw new SignedRequestError('payload lacks issued_at');
  const until = acceptedUntil(issuedAt, payload.data.expires, nowMs);
  // Hashed from the decoded bytes: base64url spellings of one signature (padding, unused
  // trailing bits) are one request.
  const replayId = createHash('sha256').update(signature).digest('base64url');
  return { userId: payload.data.user_id, issuedAt, acceptedUntil: until, replayId };
}

/** Builds a signed_request as Meta does (tests, and operators checking their endpoint). */
export function signRequest(payload: Record<string, unknown>, appSecret: string): string {
  const encodedPayload = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const signature = createHmac('sha256', appSecret).update(encodedPayload).digest('base64url');
  return `${signature}.${encodedPayload}`;
}
