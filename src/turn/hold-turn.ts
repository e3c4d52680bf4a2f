import { DelayedError } from 'bullmq';
import { modeTexts } from '../commands/texts';
import type { ChargeDecision } from '../limits/fair-use-limiter';
import type { TurnContext } from '../turn-state/turn-context';
import { tellConversation, type TellDeps } from '../outbound';

type Refused = Extract<ChargeDecision, { allowed: false }>;

/**
 * The longest a message is held for the burst window to reopen. Burst windows are short (a
 * minute by default); an operator's longer one refuses instead (told per refused batch), since
 * an answer an hour late reads as a reply to something else.
 */
export const MAX_HOLD_MS = 5 * 60_000;

/** Whether the turn waits for its window rather than being refused: the burst limit, a short wait. */
export function holdsFor(decision: Refused, now = Date.now()): boolean {
  return decision.refusal.limit === 'burst' && decision.endsAt - now <= MAX_HOLD_MS;
}

/**
 * Hold: a message refused by the burst limit is answered when its window reopens, not dropped.
 * The job waits delayed until then and is charged afresh; it stays the head of its
 * conversation's inbox, so the messages sent after it wait behind it and are answered in order.
 * The person is told once per held batch (the first refusal of the window) that their messages
 * will be answered and when; the notice's send job is named after the message, so a retried or
 * woken turn does not send it twice.
 */
export async function holdUntilWindowReopens(turn: TurnContext, decision: Refused, deps: TellDeps): Promise<never> {
  const { refusal, tell, endsAt } = decision;
  turn.activity.typeOrMarkRead(false);
  if (tell) {
    const waiting = { ...refusal, resetsInMs: Math.max(0, endsAt - Date.now()) };
    await tellConversation(turn.message, modeTexts.held(turn.t, waiting), `${turn.messageKey}-held`, deps);
  }
  turn.log.info({ told: tell, resetsInMs: endsAt - Date.now() }, 'turn held by the burst limit');
  // A little past the window's end, spread so held conversations do not all wake at once.
  await turn.job.moveToDelayed(endsAt + 50 + Math.floor(Math.random() * 250), turn.token);
  throw new DelayedError();
}
