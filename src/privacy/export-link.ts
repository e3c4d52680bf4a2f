import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { Sealer } from '../crypto/sealing';
import type { RedisClient } from '../redis/connection';
import type { StateKeys } from '../redis/keys';

/**
 * A link that hands a person their /export once, where the chat cannot carry a file (Instagram
 * DMs). The worker keeps the JSON (sealed like everything else) under a key tagged with the
 * person's conversation, for EXPORT_LINK_MINUTES; `web` serves it at `<PUBLIC_BASE_URL>/export/
 * <token>` and deletes it as it does. The token is the key's name sealed with a key derived from
 * META_APP_SECRET (AES-256-GCM): opaque, so no user id shows in a URL, and unforgeable, so no
 * one can name another person's export. Keyed by the conversation, the stored copy goes with
 * everything else on /forget all.
 */

export const EXPORT_LINK_MINUTES = 15;
export const EXPORT_LINK_PATH = '/export';

const IV_BYTES = 12;
const TAG_BYTES = 16;

interface LinkClaims {
  /** the conversation the link was sent in (the key's hash tag) */
  c: string;
  /** the link's own random id */
  i: string;
  /** expiry, ms since the epoch */
  e: number;
}

function tokenKey(appSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', appSecret, 'threadline', 'export link tokens', 32));
}

function sealClaims(claims: LinkClaims, key: Buffer): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(claims), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url');
}

function openClaims(token: string, key: Buffer): LinkClaims | undefined {
  if (!/^[A-Za-z0-9_-]{40,400}$/.test(token)) return undefined;
  const raw = Buffer.from(token, 'base64url');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
    const plain = Buffer.concat([decipher.update(raw.subarray(IV_BYTES, raw.length - TAG_BYTES)), decipher.final()]);
    const claims = JSON.parse(plain.toString('utf8')) as Partial<LinkClaims>;
    if (typeof claims.c !== 'string' || typeof claims.i !== 'string' || typeof claims.e !== 'number') return undefined;
    return claims as LinkClaims;
  } catch {
    return undefined;
  }
}

export interface ExportLinkOptions {
  redis: RedisClient;
  keys: Pick<StateKeys, 'exportLink'>;
  sealer: Sealer;
  appSecret: string;
  /** the https origin people reach `web` at (PUBLIC_BASE_URL) */
  publicBaseUrl: string;
  now?: () => number;
}

export function createExportLinks(options: ExportLinkOptions) {
  const { redis, keys, sealer } = options;
  const key = tokenKey(options.appSecret);
  const now = options.now ?? Date.now;

  /** The claims of a token that is genuine and not yet expired, and its Redis key. */
  function read(token: string): { claims: LinkClaims; redisKey: string } | undefined {
    const claims = openClaims(token, key);
    if (!claims || claims.e <= now()) return undefined;
    return { claims, redisKey: keys.exportLink(claims.c, claims.i) };
  }

  return {
    minutes: EXPORT_LINK_MINUTES,

    /** Keeps `json` for the link's lifetime; answers the URL to send. */
    async create(conversation: string, json: string): Promise<{ url: string; expiresAt: number }> {
      const claims: LinkClaims = { c: conversation, i: randomBytes(12).toString('base64url'), e: now() };
      claims.e += EXPORT_LINK_MINUTES * 60_000;
      const redisKey = keys.exportLink(conversation, claims.i);
      await redis.set(redisKey, sealer.seal(json, redisKey), 'PX', EXPORT_LINK_MINUTES * 60_000);
      return { url: `${options.publicBaseUrl}${EXPORT_LINK_PATH}/${sealClaims(claims, key)}`, expiresAt: claims.e };
    },

    /** When the export behind `token` can still be taken, its expiry; otherwise undefined. */
    async ready(token: string): Promise<{ expiresAt: number } | undefined> {
      const found = read(token);
      if (!found || (await redis.exists(found.redisKey)) === 0) return undefined;
      return { expiresAt: found.claims.e };
    },

    /** The export behind `token`, deleted as it is read: a second take finds nothing. */
    async take(token: string): Promise<{ json: string; exportedOn: number } | undefined> {
      const found = read(token);
      if (!found) return undefined;
      const result = await redis.multi().get(found.redisKey).del(found.redisKey).exec();
      const stored = result?.[0]?.[1];
      if (typeof stored !== 'string') return undefined;
      return { json: sealer.open(stored, found.redisKey), exportedOn: found.claims.e - EXPORT_LINK_MINUTES * 60_000 };
    },
  };
}

export type ExportLinks = ReturnType<typeof createExportLinks>;
