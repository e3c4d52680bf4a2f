/**
 * The ways Threadline can answer. `fast` is one call to the fast model. `thinking` is one call to
 * the larger model with a larger budget. `contemplating` drafts several answers in parallel from
 * different angles and merges them in one synthesis call. `shopping` answers from the business's
 * catalog through the product tools; it exists only where a catalog is configured.
 */
export const modeNames = ['fast', 'thinking', 'contemplating', 'shopping'] as const;
export type Mode = (typeof modeNames)[number];

/**
 * What a person (or the deployment's DEFAULT_MODE) chooses: a mode, or `auto`, which answers each
 * message in fast or thinking mode, whichever it needs (src/modes/auto-route.ts). A turn is always
 * answered, charged and counted in the mode it used, never in `auto` itself.
 */
export type ModeChoice = Mode | 'auto';

export function isMode(value: unknown): value is Mode {
  return typeof value === 'string' && (modeNames as readonly string[]).includes(value);
}

export function isModeChoice(value: unknown): value is ModeChoice {
  return value === 'auto' || isMode(value);
}

/** Reasoning modes get typing refreshes and the "still thinking" note. */
export function isReasoningMode(mode: ModeChoice): boolean {
  return mode === 'thinking' || mode === 'contemplating';
}
