import { handoffTexts, type AgentHours } from '../commands/handoff-texts';
import type { HandoffReason } from '../handoff/handoff-target';
import { availability, hoursIn, openingIn } from '../handoff/business-hours';
import type { HandoffLine } from '../handoff/handoff-target';
import type { TurnContext } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';

/** The handoff desk and the history the agent's transcript is read from. */
export type HandToPersonDeps = Pick<TurnDependencies, 'handoff' | 'history'>;

/** The most lines of the conversation the agent is shown when they join. */
const TRANSCRIPT_LINES = 30;

/** When agents answer, as the person reads it: in their language, on the business's clock. */
export function agentHours(
  turn: Pick<TurnContext, 't'>,
  deps: Pick<TurnDependencies, 'handoff'>,
  now = new Date(),
): AgentHours {
  const hours = deps.handoff.hours;
  const found = availability(hours, now);
  if (!hours || found.kind === 'anytime') return { kind: 'anytime' };
  const written = hoursIn(turn.t.language, hours);
  if (found.kind === 'open') return { kind: 'open', hours: written };
  return { kind: 'closed', hours: written, opensAt: openingIn(turn.t.language, hours, found.opensAt) };
}

/** The conversation so far as the agent reads it, with the message that asked last. */
function transcriptOf(turn: TurnContext, deps: HandToPersonDeps, asking: string | undefined): HandoffLine[] {
  const past = deps.history.open(turn.conversation, turn.found.history).slice(-TRANSCRIPT_LINES);
  const lines: HandoffLine[] = past.map((entry) => ({
    from: entry.role === 'user' ? 'person' : 'assistant',
    text: entry.content,
    at: new Date(entry.at).toISOString(),
  }));
  if (asking) lines.push({ from: 'person', text: asking, at: new Date(turn.message.timestamp).toISOString() });
  return lines;
}

/**
 * Hands the conversation to a person (src/handoff) and says what happens next, honestly: who
 * will answer and when, or that no one can (HANDOFF_TARGET unset, or no target serves this app),
 * in which case the assistant keeps helping. `asking`: the person's words that asked, when they
 * are more than the bare command. Returns the text to send and whether the handoff happened.
 */
export async function handToPerson(
  turn: TurnContext,
  deps: HandToPersonDeps,
  reason: HandoffReason,
  options: { asking?: string; detail?: string } = {},
): Promise<{ text: string; handedOff: boolean }> {
  const step = await deps.handoff.stepAside(turn.message, {
    reason,
    ...(options.detail ? { detail: options.detail } : {}),
    askedBy: turn.messageKey,
    language: turn.t.language,
    ...(turn.message.userName ? { userName: turn.message.userName } : {}),
    transcript: transcriptOf(turn, deps, options.asking),
  });
  if (step.handedTo.length === 0) return { text: handoffTexts.unavailable(turn.t), handedOff: false };
  // Without the figure the person is told what is always true: soon, or as soon as they can.
  const usually = await deps.handoff.typicalWait().catch((err: unknown) => {
    turn.log.warn({ err }, 'typical reply time not read');
    return null;
  });
  return { text: handoffTexts.requested(turn.t, agentHours(turn, deps), usually), handedOff: true };
}
