import { z } from 'zod';
import { booleanFlag, optionalString, positiveInt } from './env-values';

/**
 * The operator's part of the environment: how the web process holds up under hostile clients
 * (docs/security.md, "Web process"), and the metrics and queue dashboard (docs/operations.md).
 */
export const operationsEnv = {
  // --- web process under hostile clients (docs/security.md, "Web process") ---
  /** a client must have sent its request headers within this long */
  WEB_HEADERS_TIMEOUT_MS: positiveInt(5_000),
  /** ... and its whole request, body included, within this long (else 408 and the connection closes) */
  WEB_REQUEST_TIMEOUT_MS: positiveInt(10_000),
  /** open connections at most; more are closed as soon as they are accepted */
  WEB_MAX_CONNECTIONS: positiveInt(500),
  /** refusals anyone can provoke (bad signatures, bodies not received) log at most one line per this many ms */
  WEB_REFUSAL_LOG_INTERVAL_MS: positiveInt(10_000),
  // --- operations: metrics and the queue dashboard (docs/operations.md) ---
  /** the worker's /metrics and /healthz port; 0 = no metrics server on the worker */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(9464),
  /** the interface the worker's metrics server listens on: loopback unless the operator opens it */
  METRICS_HOST: z.string().trim().min(1).default('127.0.0.1'),
  /** when set, /metrics (web and worker) answers only `Authorization: Bearer <token>` */
  METRICS_TOKEN: optionalString,
  /** the queue dashboard's token (at least 16 characters); unset: no dashboard, /admin/queues is 404 */
  ADMIN_TOKEN: z
    .string()
    .trim()
    .min(16, { message: 'must be at least 16 characters (openssl rand -hex 16)' })
    .optional(),
  /** `false` lets the dashboard retry, remove and clean jobs; read-only by default */
  ADMIN_READ_ONLY: booleanFlag.default(true),
};
