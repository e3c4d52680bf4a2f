import { z } from 'zod';
import { ConfigError, type Env } from './env';
import { optionalString, url } from './env-values';

/**
 * Chatwoot as a place agents take over conversations (docs/handoff.md, "Chatwoot"): the instance,
 * the API-channel inbox conversations are mirrored into, and the token its webhook must carry.
 * Spread into the one environment schema.
 */

const numericId = z
  .string()
  .trim()
  .regex(/^\d+$/, { message: 'must be the number Chatwoot shows in the URL (…/accounts/<id>/…)' })
  .optional();

export const chatwootEnvShape = {
  /** the Chatwoot instance, e.g. https://chat.example.com (unset: no Chatwoot target) */
  CHATWOOT_BASE_URL: url('Chatwoot base URL, e.g. https://app.chatwoot.com').optional(),
  /** an agent's access token (Profile settings > Access Token), sent as `api_access_token` */
  CHATWOOT_API_TOKEN: optionalString,
  CHATWOOT_ACCOUNT_ID: numericId,
  /** the API-channel inbox conversations are mirrored into */
  CHATWOOT_INBOX_ID: numericId,
  /** the token in the inbox's webhook URL: POST /handoff/chatwoot?token=<this> */
  CHATWOOT_WEBHOOK_TOKEN: z.string().trim().min(16, { message: 'must be at least 16 characters' }).optional(),
  /** how long a conversation's Chatwoot ids are kept after its last handoff */
  CHATWOOT_LINK_TTL_DAYS: z.coerce.number().int().positive().default(30),
};

type ChatwootEnv = Pick<Env, keyof typeof chatwootEnvShape>;

export interface ChatwootConfig {
  baseUrl: string;
  apiToken: string;
  accountId: string;
  inboxId: string;
  webhookToken: string;
  /** seconds a conversation's contact, conversation and message ids are kept */
  linkTtlSeconds: number;
  timeoutMs: number;
}

const REQUIRED = ['CHATWOOT_API_TOKEN', 'CHATWOOT_ACCOUNT_ID', 'CHATWOOT_INBOX_ID', 'CHATWOOT_WEBHOOK_TOKEN'] as const;

/** The Chatwoot section of the Config: null without CHATWOOT_BASE_URL; every other variable is then required. */
export function chatwootSettings(env: ChatwootEnv): ChatwootConfig | null {
  if (!env.CHATWOOT_BASE_URL) return null;
  const missing = REQUIRED.filter((name) => !env[name]);
  if (missing.length > 0) throw new ConfigError(missing.map((name) => `${name}: is required with CHATWOOT_BASE_URL`));
  return {
    baseUrl: env.CHATWOOT_BASE_URL.replace(/\/+$/, ''),
    apiToken: env.CHATWOOT_API_TOKEN!,
    accountId: env.CHATWOOT_ACCOUNT_ID!,
    inboxId: env.CHATWOOT_INBOX_ID!,
    webhookToken: env.CHATWOOT_WEBHOOK_TOKEN!,
    linkTtlSeconds: env.CHATWOOT_LINK_TTL_DAYS * 24 * 3600,
    timeoutMs: 10_000,
  };
}
