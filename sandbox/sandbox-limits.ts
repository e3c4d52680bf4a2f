/**
 * The fair-use limits the sandbox gives web and worker: roomy enough that someone trying every
 * command, mode and shopping request for an afternoon never meets one (the production defaults
 * hold the ninth message in a minute, refuse the sixth contemplation in a day), still on, so
 * `/limits` shows how they work. Any LIMIT_* the operator sets wins, to try the real ones.
 */
export const SANDBOX_LIMITS: Readonly<Record<string, string>> = {
  LIMIT_BURST: '60/1m',
  LIMIT_FAST: '600/1h',
  LIMIT_THINKING: '200/1d',
  LIMIT_CONTEMPLATING: '100/1d',
  LIMIT_SHOPPING: '300/1h',
  LIMIT_USER_DAILY: '2000',
};

/** The sandbox's limits, with the operator's own LIMIT_* over them. */
export function sandboxLimits(passThrough: Record<string, string | undefined>): Record<string, string> {
  const limits: Record<string, string> = { ...SANDBOX_LIMITS };
  for (const [name, value] of Object.entries(passThrough)) {
    if (name.startsWith('LIMIT_') && value !== undefined && value.trim() !== '') limits[name] = value;
  }
  return limits;
}

/** The launcher's line about them: which are the sandbox's and which the operator's. */
export function describeSandboxLimits(passThrough: Record<string, string | undefined>): string {
  const own = Object.keys(SANDBOX_LIMITS).filter((name) => passThrough[name]?.trim());
  const shown = Object.entries(sandboxLimits(passThrough))
    .filter(([name]) => name in SANDBOX_LIMITS)
    .map(([name, value]) => `${name.replace('LIMIT_', '').toLowerCase()} ${value}`)
    .join(', ');
  const whose = own.length
    ? `yours for ${own.join(', ')}, the sandbox's roomy ones for the rest`
    : "the sandbox's roomy ones, not production's (set LIMIT_BURST=8/1m etc. to try those)";
  return `limits    ${whose}: ${shown}`;
}
