import pino, { type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * One JSON logger for the whole process. Secrets never reach it (tokens live in config, not in
 * log fields); redaction is a second net for header and token fields. Message text is logged
 * only when LOG_MESSAGE_CONTENT is on, through `contentFields`.
 */
export function createLogger(options: { level: string; name: string }): Logger {
  return pino({
    name: options.name,
    level: options.level,
    redact: {
      paths: ['*.authorization', '*.Authorization', '*.accessToken', '*.access_token', '*.apiKey', '*.secret'],
      censor: '[redacted]',
    },
  });
}

/** Fields carrying user content, included only when the operator switched content logging on. */
export function contentFields(enabled: boolean, fields: Record<string, unknown>): Record<string, unknown> {
  return enabled ? fields : {};
}
