import { z } from 'zod';
import { ConfigError, type Env } from './env';
import { booleanFlag, optionalString, url } from './env-values';

/**
 * Handing a conversation to a person (docs/handoff.md): where agents work, when they are in, how
 * long a silent agent keeps the assistant away, and the plain signed webhook. Spread into the one
 * environment schema.
 */

export const HANDOFF_TARGET_NAMES = ['chatwoot', 'meta-inbox', 'webhook'] as const;
export type HandoffTargetName = (typeof HANDOFF_TARGET_NAMES)[number];

const targetList = z
  .string()
  .transform((value) => [...new Set(value.split(',').map((name) => name.trim().toLowerCase()))].filter(Boolean))
  .pipe(z.array(z.enum(HANDOFF_TARGET_NAMES)));

export const handoffEnvShape = {
  /** comma list of chatwoot, meta-inbox, webhook; unset: no handoff (`/human` says no one is available) */
  HANDOFF_TARGET: targetList.optional(),
  /** when agents answer, e.g. `Mon-Fri 09:00-18:00 Europe/Madrid`; unset: no hours are promised */
  HANDOFF_HOURS: optionalString,
  /** hours without an agent message after which the assistant takes the conversation back */
  HANDOFF_IDLE_HOURS: z.coerce.number().positive().default(24),
  /** where the plain webhook target posts (HANDOFF_TARGET=webhook) */
  HANDOFF_WEBHOOK_URL: url('the helpdesk endpoint, e.g. https://desk.example/threadline').optional(),
  /** signs what Threadline posts and checks what the helpdesk posts back (at least 16 characters) */
  HANDOFF_WEBHOOK_SECRET: z.string().trim().min(16, { message: 'must be at least 16 characters' }).optional(),
  /**
   * agents' replies on Messenger and Instagram go out up to 7 days after the person's last message
   * under Meta's HUMAN_AGENT tag; off (the app lacks the Human Agent feature): 24 hours, as WhatsApp
   */
  HANDOFF_HUMAN_AGENT_TAG: booleanFlag.default(true),
  /**
   * what the person is told agents usually take to reply, in minutes, instead of the median of the
   * last first replies measured; unset: the measured figure, once there are enough of them
   */
  HANDOFF_TYPICAL_REPLY_MINUTES: z.coerce.number().positive().optional(),
};

/** What the Chatwoot target cannot work without (config/env-chatwoot.ts). */
const CHATWOOT_REQUIRED = [
  'CHATWOOT_BASE_URL',
  'CHATWOOT_API_TOKEN',
  'CHATWOOT_ACCOUNT_ID',
  'CHATWOOT_INBOX_ID',
  'CHATWOOT_WEBHOOK_TOKEN',
] as const;

type HandoffEnv = Pick<Env, keyof typeof handoffEnvShape | (typeof CHATWOOT_REQUIRED)[number]>;

/** Business hours: open on `days` (0 = Sunday) from `opens` to `closes` (minutes after midnight) in `timeZone`. */
export interface BusinessHours {
  days: number[];
  opens: number;
  closes: number;
  timeZone: string;
  /** as the operator wrote it, for the agent-facing docs and logs */
  text: string;
}

export interface HandoffConfig {
  /** the targets a conversation is handed to; empty: handoff off */
  targets: HandoffTargetName[];
  hours: BusinessHours | null;
  idleSeconds: number;
  webhook: { url: string; secret: string } | null;
  /** whether agents' replies on Messenger and Instagram may use the HUMAN_AGENT tag (7 days) */
  humanAgentTag: boolean;
  /** HANDOFF_TYPICAL_REPLY_MINUTES: the operator's figure for the person; null: the measured one */
  typicalReplyMinutes: number | null;
}

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const HOURS_SHAPE = /^([a-z]{3})(?:-([a-z]{3}))?\s+(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})\s+(\S+)$/i;

function dayRange(first: string, last: string | undefined): number[] | null {
  const from = DAY_NAMES.indexOf(first.toLowerCase());
  const to = DAY_NAMES.indexOf((last ?? first).toLowerCase());
  if (from < 0 || to < 0) return null;
  const days: number[] = [];
  for (let day = from; ; day = (day + 1) % 7) {
    days.push(day);
    if (day === to) return days;
  }
}

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** `Mon-Fri 09:00-18:00 Europe/Madrid` → BusinessHours; throws ConfigError naming what is wrong. */
export function parseBusinessHours(text: string): BusinessHours {
  const bad = (why: string) => new ConfigError([`HANDOFF_HOURS: ${why} (e.g. "Mon-Fri 09:00-18:00 Europe/Madrid")`]);
  const match = HOURS_SHAPE.exec(text.trim());
  if (!match) throw bad('must be days, hours and a time zone');
  const [, first, last, oh, om, ch, cm, timeZone] = match;
  const days = dayRange(first!, last);
  if (!days) throw bad('days are Mon, Tue, Wed, Thu, Fri, Sat, Sun');
  const opens = Number(oh) * 60 + Number(om);
  const closes = Number(ch) * 60 + Number(cm);
  if (opens >= closes || closes > 24 * 60) throw bad('the opening time must come before the closing time');
  if (!validZone(timeZone!)) throw bad(`unknown time zone ${timeZone}`);
  return { days, opens, closes, timeZone: timeZone!, text: text.trim() };
}

/** The variables a target named in HANDOFF_TARGET needs and lacks, one problem each; Meta's inbox needs none. */
function missingForTargets(env: HandoffEnv, targets: HandoffTargetName[]): string[] {
  const problems: string[] = [];
  if (targets.includes('webhook') && (!env.HANDOFF_WEBHOOK_URL || !env.HANDOFF_WEBHOOK_SECRET)) {
    problems.push('HANDOFF_WEBHOOK_URL, HANDOFF_WEBHOOK_SECRET: both are required with HANDOFF_TARGET=webhook');
  }
  if (targets.includes('chatwoot')) {
    const missing = CHATWOOT_REQUIRED.filter((name) => !env[name]);
    if (missing.length > 0) problems.push(`${missing.join(', ')}: required with HANDOFF_TARGET=chatwoot`);
  }
  return problems;
}

export function handoffSettings(env: HandoffEnv): HandoffConfig {
  const targets = env.HANDOFF_TARGET ?? [];
  const wantsWebhook = targets.includes('webhook');
  const problems = missingForTargets(env, targets);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    targets,
    hours: env.HANDOFF_HOURS ? parseBusinessHours(env.HANDOFF_HOURS) : null,
    idleSeconds: Math.round(env.HANDOFF_IDLE_HOURS * 3600),
    webhook:
      wantsWebhook && env.HANDOFF_WEBHOOK_URL && env.HANDOFF_WEBHOOK_SECRET
        ? { url: env.HANDOFF_WEBHOOK_URL, secret: env.HANDOFF_WEBHOOK_SECRET }
        : null,
    humanAgentTag: env.HANDOFF_HUMAN_AGENT_TAG,
    typicalReplyMinutes: env.HANDOFF_TYPICAL_REPLY_MINUTES ?? null,
  };
}
