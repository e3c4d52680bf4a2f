import { parseCommand } from '../commands/commands';
import { modeTexts } from '../commands/texts';
import type { InboundMessage } from '../core/inbound';
import { isReasoningMode, modeNames } from '../core/modes';
import type { LimitedUser } from '../limits/fair-use-limiter';
import { planFor, type ModePlan } from '../modes/mode-plan';
import { notice, type TurnContext } from './context';
import type { TurnDependencies } from './dependencies';
import { choicesBesides, runCommand } from './run-command';

/**
 * Decide: what kind of turn this is, before anything slow happens. A command is answered at once
 * (no model, no media). Otherwise the conversation's mode gives the plan, and a turn that will
 * reach the model is charged against the fair-use limits; a refused turn never downloads,
 * transcribes or calls anything. Signs of life start here: the read receipt at once, typing
 * (and for reasoning modes the "still thinking" note) once the turn is allowed.
 *
 * Sets `activity` and `mode`, then either `outcome` (answered already) or `plan`.
 */
export async function decide(turn: TurnContext, deps: TurnDependencies): Promise<void> {
  const { message, messageKey, conversation } = turn;
  turn.activity = deps.signsOfLife.begin(turn.adapter, message, messageKey);
  turn.activity.markRead();

  const command = parseCommand(message);
  if (command) {
    // Commands are not charged against the fair-use limits here; a command charge belongs at this point.
    const answered = await runCommand(command, message, conversation, deps);
    turn.mode = answered.mode;
    turn.outcome = answered.outcome;
    turn.choices = answered.choices;
    return;
  }

  const mode = await deps.modeStore.get(conversation);
  const plan = planFor(mode, deps.modes, deps.model, message.platform);
  turn.mode = mode;
  if (!callsModel(message, plan)) {
    turn.plan = plan;
    return;
  }
  const user: LimitedUser = { platform: message.platform, userId: message.userId };
  const decision = await deps.limiter.charge(user, mode, messageKey);
  if (!decision.allowed) {
    const { refusal, tell } = decision;
    deps.logger.info(
      { mode, limit: refusal.limit, told: tell, resetsInMs: refusal.resetsInMs },
      'turn refused by fair-use limit',
    );
    // Told once per window; later refusals in the same window stay quiet (an empty reply).
    turn.outcome = tell
      ? notice(modeTexts.refused(refusal), `limit:${refusal.limit}`)
      : notice('', `limit-repeat:${refusal.limit}`);
    const isModeLimit = (modeNames as readonly string[]).includes(refusal.limit);
    if (tell && isModeLimit) turn.choices = choicesBesides(mode);
    return;
  }
  turn.plan = plan;
  turn.activity.startTyping();
  if (isReasoningMode(mode) && deps.thinkingNoteAfterMs > 0) {
    turn.activity.noteAfter(deps.thinkingNoteAfterMs, modeTexts.stillThinking);
  }
}

/** Only turns that will reach the model are charged: notices for unreadable input are free. */
function callsModel(message: InboundMessage, plan: ModePlan): boolean {
  if (message.unsupported !== undefined) return false;
  if (!message.text?.trim() && message.attachments.length === 0) return false;
  return plan.complete !== undefined;
}
