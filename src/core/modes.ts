/**
 * The ways Threadline can answer. `fast` is the default: one call to the fast model.
 * `thinking` is one call to the larger model with a larger budget. `contemplating` drafts several
 * answers in parallel from different angles and merges them in one synthesis call. `shopping`
 * answers from the business's catalog through the product tools; it exists only where a catalog
 * is configured.
 */
export const modeNames = ['fast', 'thinking', 'contemplating', 'shopping'] as const;
export type Mode = (typeof modeNames)[number];
export const DEFAULT_MODE: Mode = 'fast';

export function isMode(value: unknown): value is Mode {
  return typeof value === 'string' && (modeNames as readonly string[]).includes(value);
}

/** Reasoning modes get typing refreshes and the "still thinking" note. */
export function isReasoningMode(mode: Mode): boolean {
  return mode === 'thinking' || mode === 'contemplating';
}
