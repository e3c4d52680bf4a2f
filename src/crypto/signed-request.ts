import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

/**
 * Meta's `signed_request` (the Data Deletion Request Callback sends one): `<signature>.<payload>`,
 * both base64url; the signature is HMAC-SHA256 of the payload *as sent* (the base64url text)
 * with the app secret; the payload is JSON naming the algorithm and the app-scoped user id.
 */

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
  issuedAt: number | undefined;
}

const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

function fromBase64Url(text: string, what: string): Buffer {
  if (!BASE64URL.test(text)) throw new SignedRequestError(`${what} is not base64url`);
  return Buffer.from(text.replace(/=+$/, ''), 'base64url');
}

export function parseSignedRequest(signedRequest: unknown, appSecret: string): SignedRequest {
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
  return { userId: payload.data.user_id, issuedAt: payload.data.issued_at };
}

/** Builds a signed_request as Meta does (tests, and operators checking their endpoint). */
export function signRequest(payload: Record<string, unknown>, appSecret: string): string {
  const encodedPayload = Buffer.from(JSON.stringify(payload)).toString('base64url');
  const signature = createHmac('sha256', appSecret).update(encodedPayload).digest('base64url');
  return `${signature}.${encodedPayload}`;
}
