import { randomBytes } from 'node:crypto';
import pino, { type DestinationStream, type Logger } from 'pino';
import { createPseudonyms, type Pseudonyms } from './crypto/pseudonyms';

export type { Logger } from 'pino';

/**
 * One JSON logger for the whole process. Secrets never reach it (tokens live in config, not in
 * log fields); redaction is a second net for header and token fields. Message text is logged
 * only when LOG_MESSAGE_CONTENT is on, through `contentFields`.
 *
 * People appear in logs only as keyed hashes (see src/crypto/pseudonyms.ts): fields that carry
 * a user, conversation, message or job id are rewritten by serializers, so a log call that
 * passes `{ userId }` or `{ jobId }` is safe as written; `userRef` is for ids inside other text.
 */

// Until an entry point sets the configured key, a random one: pseudonymous, just not comparable
// across processes.
let pseudonyms: Pseudonyms = createPseudonyms(randomBytes(32));

/** The configured key (config.privacy.logPseudonymKey); the same in web and worker processes. */
export function setLogPseudonymKey(key: Buffer): void {
  pseudonyms = createPseudonyms(key);
}

/** How a user id is written in logs: `u_` + a keyed hash. */
export function userRef(id: string): string {
  return pseudonyms.user(id);
}

function each(ref: (id: string) => string): (value: unknown) => unknown {
  const rewrite = (value: unknown): unknown =>
    typeof value === 'string' ? ref(value) : Array.isArray(value) ? value.map(rewrite) : value;
  return rewrite;
}

const userIds = each((id) => pseudonyms.user(id));
/** A user id, a list of them, or an addressee object (`{ channelId, userId }`, `{ id }`). */
function userField(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return userIds(value);
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const field of ['userId', 'id']) if (field in copy) copy[field] = userIds(copy[field]);
  return copy;
}
const messageField = each((id) => pseudonyms.message(id));

const serializers: Record<string, (value: unknown) => unknown> = {
  userId: userField,
  user: userField,
  from: userField,
  to: userField,
  recipient: userField,
  recipientId: userField,
  sender: userField,
  conversation: each((key) => pseudonyms.conversation(key)),
  jobId: each((id) => pseudonyms.job(id)),
  messageId: messageField,
  messageIds: messageField,
  answering: each((id) => pseudonyms.job(id)),
};

export function createLogger(options: {
  level: string;
  name: string;
  /** config.privacy.logPseudonymKey: makes user hashes comparable across processes */
  pseudonymKey?: Buffer;
  /** where lines go (default: stdout) */
  destination?: DestinationStream;
}): Logger {
  if (options.pseudonymKey) setLogPseudonymKey(options.pseudonymKey);
  const settings = {
    name: options.name,
    level: options.level,
    serializers,
    redact: {
      paths: ['*.authorization', '*.Authorization', '*.accessToken', '*.access_token', '*.apiKey', '*.secret'],
      censor: '[redacted]',
    },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

/** Fields carrying user content, included only when the operator switched content logging on. */
export function contentFields(enabled: boolean, fields: Record<string, unknown>): Record<string, unknown> {
  return enabled ? fields : {};
}
