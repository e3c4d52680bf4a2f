import { z } from 'zod';

/**
 * The value parsers the environment schema is built from: strings, numbers, lists, limits and
 * keys, each turning what a person types into `.env` into a typed value or a message that says
 * what is wrong with it.
 */

export const optionalString = z.string().trim().min(1).optional();

export const requiredString = (what: string) =>
  z
    .string({ error: `is required (${what})` })
    .trim()
    .min(1, { error: `is required (${what})` });

export const url = (what: string) =>
  z
    .string()
    .trim()
    .url({ message: `must be an absolute URL (${what})` })
    .transform((value) => value.replace(/\/+$/, ''));

export const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** `host1,*.host2` → ['host1', '*.host2'] */
export const hostList = z.string().transform((value) =>
  value
    .split(',')
    .map((host) => host.trim().toLowerCase())
    .filter((host) => host.length > 0),
);

export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

export const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** A switch written as on/off (or true/false, yes/no, 1/0). */
export const onOffFlag = z
  .enum(['on', 'off', 'true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'on' || value === 'true' || value === '1' || value === 'yes');

export const DEFAULT_MEDIA_HOSTS =
  'lookaside.fbsbx.com,*.fbsbx.com,*.fbcdn.net,*.cdninstagram.com,graph.facebook.com,graph.instagram.com';

// --- modes, commands and fair-use limits ---

/** A fair-use limit: `count` turns per `windowSeconds`, or null when switched off. */
export interface LimitSpec {
  count: number;
  windowSeconds: number;
}

export const WINDOW_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `60/1h`, `5/1d`, `10/30s`, `3/m` (window defaults to 1 unit), or `off`. */
export function parseLimitSpec(value: string): LimitSpec | null | undefined {
  const text = value.trim().toLowerCase();
  if (text === 'off' || text === 'none' || text === 'unlimited') return null;
  const match = /^(\d+)\s*\/\s*(\d*)\s*([smhd])$/.exec(text);
  if (!match) return undefined;
  const count = Number(match[1]);
  const windowSeconds = Number(match[2] || '1') * WINDOW_UNITS[match[3]!]!;
  if (count < 1 || windowSeconds < 1) return undefined;
  return { count, windowSeconds };
}

export const limitSpec = z.string().transform((value, ctx) => {
  const spec = parseLimitSpec(value);
  if (spec === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `"${value}" is not a limit: write <count>/<window> such as 60/1h, 5/1d or 10/30s (units s, m, h, d), or off`,
    });
    return z.NEVER;
  }
  return spec;
});

/** A daily budget: a bare count (`5000`) means per day; `off` switches it off. */
export const dailyBudget = z.string().transform((value, ctx) => {
  const trimmed = value.trim();
  const spec = /^\d+$/.test(trimmed) ? parseLimitSpec(`${trimmed}/1d`) : parseLimitSpec(trimmed);
  if (spec === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a daily budget: write a count such as 5000, or off` });
    return z.NEVER;
  }
  return spec;
});

export const reasoningEffort = z.enum(['none', 'minimal', 'low', 'medium', 'high']).optional();

/** `123,whatsapp:16505551234` → ['123', 'whatsapp:16505551234'] (ids are case-sensitive) */
export const idList = z.string().transform((value) =>
  value
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id.length > 0),
);

/** A 32-byte key written in base64 (or base64url), as `openssl rand -base64 32` prints it. */
export function decodeKey(value: string): Buffer | undefined {
  const text = value.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) return undefined;
  const key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return key.length === 32 ? key : undefined;
}

export const KEY_HINT = 'must be 32 bytes in base64: generate one with `openssl rand -base64 32`';

export const encryptionKey = z.string().transform((value, ctx) => {
  const key = decodeKey(value);
  if (!key) {
    ctx.addIssue({ code: 'custom', message: KEY_HINT });
    return z.NEVER;
  }
  return key;
});

export const encryptionKeyList = z.string().transform((value, ctx) => {
  const keys: Buffer[] = [];
  for (const [index, item] of value.split(',').entries()) {
    if (item.trim() === '') continue;
    const key = decodeKey(item);
    if (!key) ctx.addIssue({ code: 'custom', message: `key ${index + 1}: ${KEY_HINT}` });
    else keys.push(key);
  }
  return keys;
});

/**
 * The languages src/i18n ships a catalogue for (config imports nothing of ours, so the list is
 * written here too; test/i18n-catalogues.test.ts keeps the two in step).
 */
export const SHIPPED_LANGUAGES = ['en', 'es', 'pt', 'fr', 'de', 'it', 'id', 'hi', 'ar'] as const;

export const shippedLanguage = z.enum(SHIPPED_LANGUAGES, { message: `must be one of ${SHIPPED_LANGUAGES.join(', ')}` });
