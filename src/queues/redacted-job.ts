import type { Pseudonyms } from '../crypto/pseudonyms';

/**
 * A job's data as someone looking at the queues may see it: what kind of message or answer it
 * is, never what the person wrote or was told, nor who they are. Built from an allow-list of
 * fields, so a field added to a job later stays hidden until someone decides it is harmless.
 * Ids of people and messages become the same keyed hashes the logs use (a WhatsApp message id
 * carries the sender's phone number), so a job can be matched to its log lines.
 */
export function redactJobData(data: unknown, pseudonyms: Pseudonyms): unknown {
  if (!isRecord(data)) return hidden(data);
  const shown: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(data)) {
    const show = FIELDS[field];
    shown[field] = show ? show(value, pseudonyms) : hidden(value);
  }
  return shown;
}

type Shown = (value: unknown, pseudonyms: Pseudonyms) => unknown;

const asIs: Shown = (value) => value;
const hashed =
  (hash: (pseudonyms: Pseudonyms, id: string) => string): Shown =>
  (value, pseudonyms) =>
    typeof value === 'string' ? hash(pseudonyms, value) : hidden(value);

/** What each known field may show (inbound: InboundMessage; outbound: OutboundJob). */
const FIELDS: Record<string, Shown> = {
  platform: asIs,
  channelId: asIs,
  timestamp: asIs,
  answeringAt: asIs,
  unsupported: asIs,
  leftOut: asIs,
  userId: hashed((p, id) => p.user(id)),
  id: hashed((p, id) => p.message(id)),
  conversation: hashed((p, id) => p.conversation(id)),
  answeringMessageKey: hashed((p, id) => p.job(id)),
  attachments: (value) =>
    Array.isArray(value)
      ? value.map((a: unknown) => (isRecord(a) ? { kind: a.kind, mimeType: a.mimeType } : hidden(a)))
      : hidden(value),
  parts: (value) => (Array.isArray(value) ? value.map(hidden) : hidden(value)),
  choices: (value) => (Array.isArray(value) ? `‹choices: ${value.length}›` : hidden(value)),
};

function hidden(value: unknown): string {
  if (typeof value === 'string') return `‹hidden: ${value.length} characters›`;
  return '‹hidden›';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
