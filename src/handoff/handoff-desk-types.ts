import type { BusinessHours } from '../../config';
import type { Language } from '../i18n/languages';
import type { Logger } from '../logging';
import type { Metrics } from '../metrics/metrics';
import type { HandoffLine, HandoffReason, HandoffTarget } from './handoff-target';
import type { HandoffStore, PausedState } from './handoff-state';
import type { ReplyTimes } from './reply-times';
import type { PersonSender } from './send-to-person';

/** The handoff core's vocabulary (handoff-desk.ts): what it is asked, what it answers, what it needs. */

/** Why a conversation came back to the assistant (the `why` label of the returns metric). */
export type ReturnReason = 'resolved' | 'bot' | 'idle';

export interface StepAsideRequest {
  reason: HandoffReason;
  /** the person's or the model's words on why, for the agent */
  detail?: string;
  /** the messageKey of the message that asked */
  askedBy: string;
  language: Language;
  /** the conversation so far, oldest first */
  transcript: HandoffLine[];
  userName?: string;
}

/** Who has the conversation, and whether asking just gave an idle pause back (the person was told). */
export interface HandoffStatus {
  state: PausedState | null;
  returned: boolean;
}

export type StepAside = { handedTo: string[]; handle: string } | { handedTo: []; why: 'off' | 'no-target' };

/** What the agent side is told about a reply it sent. */
export type AgentReplyResult =
  | { delivered: true; duplicate: boolean }
  | { delivered: false; reason: 'not-handed-off' | 'window-closed' | 'empty'; detail: string }
  | { delivered: false; reason: 'returned'; detail: string };

export interface HandoffDeskDependencies {
  store: HandoffStore;
  targets: readonly HandoffTarget[];
  sendToPerson: PersonSender;
  metrics: Pick<Metrics, 'handoffs' | 'handoffFirstReply' | 'handoffReturns'>;
  logger: Logger;
  idleSeconds: number;
  /** when agents answer (HANDOFF_HOURS); null: no hours are promised */
  hours?: BusinessHours | null;
  /** agents' replies on Messenger and Instagram may go under HUMAN_AGENT (7 days); unset: 24 hours everywhere */
  humanAgentTag?: boolean;
  /** the deployment's recent first-reply times (reply-times.ts); unset: none kept */
  replyTimes?: ReplyTimes;
  /** HANDOFF_TYPICAL_REPLY_MINUTES: said instead of the measured figure */
  typicalReplyMinutes?: number | null;
  /** the key the opaque handle is a keyed hash under */
  handleKey: Buffer;
  now?: () => number;
}

export const DAY_MS = 24 * 3600 * 1000;

/** When the person last wrote, by the transcript (ms), if they wrote at all. */
export function lastPersonLine(transcript: HandoffLine[]): number | undefined {
  const at = Date.parse(transcript.filter((line) => line.from === 'person').at(-1)?.at ?? '');
  return Number.isNaN(at) ? undefined : at;
}
