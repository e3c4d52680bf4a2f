import { modeTexts } from '../commands/texts';
import type { InboundMessage } from '../core/inbound';
import { isReasoningMode, modeNames, type ModeChoice } from '../core/modes';
import type { ChargeDecision, LimitedUser } from '../limits/fair-use-limiter';
import { planFor, type ModePlan } from '../modes/mode-plan';
import { notice, type TurnContext } from '../turn-state/turn-context';
import { chargeChosenMode, chooseMode } from './choose-mode';
import type { TurnDependencies } from '../turn-state/turn-dependencies';
import { holdsFor, holdUntilWindowReopens } from './hold-turn';
import { takeModeQuestion } from './mode-question';
import { isTap, quickAnswerFor } from '../quick-answers/quick-answer';
import { settleLanguage } from './settle-language';
import { takeReaction } from './take-reaction';
import { productTurnOf } from '../quick-answers/product-focus';
import { choicesBesides, currentMode } from '../quick-answers/command-answer';

/**
 * Decide: what kind of turn this is, before anything slow happens. A command is answered at once
 * (no model, no media), and so are answers to the bot's yes/no questions and taps on buttons.
 * Otherwise the conversation's mode (in auto, the one this message needs: choose-mode.ts; a mode
 * command with a question switches it first) gives the plan, and a turn that will reach the model
 * is charged against the fair-use limits of the mode used; a refused turn never downloads,
 * transcribes or calls anything, and one refused by the burst limit is held until its window
 * reopens (hold-turn.ts). Signs of life start here: the read receipt at once, typing (and for
 * reasoning modes the "still thinking" note) once the turn is allowed.
 *
 * A reaction to an answer is feedback, taken at once and never answered (take-reaction.ts).
 *
 * Sets `activity` and `mode`, then either `outcome` (answered already) or `plan`.
 */
export async function decide(turn: TurnContext, deps: TurnDependencies): Promise<void> {
  const { message, messageKey } = turn;
  if (message.reaction) return takeReaction(turn, deps);
  turn.activity = deps.signsOfLife.begin(turn.adapter, message, messageKey);
  turn.activity.seen();

  turn.person = await deps.people.personOf(message);
  await settleLanguage(turn, deps, turn.person);
  const user: LimitedUser = { platform: message.platform, userId: message.userId, person: turn.person };
  const quick = await quickAnswerFor(turn, deps);
  if (quick) {
    // Commands and other quick answers cost burst points only, so spamming /help is refused
    // like any other flood; an answer to the bot itself costs nothing.
    const decision = quick.answersBot ? null : await deps.limiter.chargeCommand(user, messageKey);
    if (decision && !decision.allowed) {
      await refuse(turn, decision, await currentMode(turn, deps), deps);
      return;
    }
    turn.activity.typeOrMarkRead(false);
    const answered = await quick.run();
    turn.mode = answered.mode;
    turn.outcome = answered.outcome;
    turn.choices = answered.choices;
    return;
  }

  turn.modeQuestion = (await takeModeQuestion(turn, deps)) ?? undefined;
  const productTurn = productTurnOf(message, deps);
  turn.focus = productTurn?.focus;
  const mode = productTurn ? 'shopping' : await chooseMode(turn, deps);
  const plan = planFor(mode, deps.modes, deps.model, message.platform, turn.t.language);
  turn.mode = mode;
  if (!callsModel(turn.modeQuestion?.message ?? message, plan)) {
    turn.activity.typeOrMarkRead(false);
    turn.plan = plan;
    return;
  }
  const charged = await chargeChosenMode(turn, user, mode, deps, { burst: !isTap(message) });
  if (!charged.decision.allowed) {
    await refuse(turn, charged.decision, charged.mode, deps);
    return;
  }
  turn.mode = charged.mode;
  turn.plan =
    charged.mode === mode ? plan : planFor(charged.mode, deps.modes, deps.model, message.platform, turn.t.language);
  turn.activity.typeOrMarkRead(true);
  if (isReasoningMode(charged.mode) && deps.thinkingNoteAfterMs > 0) {
    turn.activity.noteAfter(deps.thinkingNoteAfterMs, modeTexts.stillThinking(turn.t));
  }
}

/**
 * Answers a refused turn: told once per refused batch (messages refused together share one
 * notice, the others in it get an empty reply). A burst refusal with a short wait is held
 * instead, and answered when the window reopens.
 */
async function refuse(
  turn: TurnContext,
  decision: Extract<ChargeDecision, { allowed: false }>,
  mode: ModeChoice,
  deps: TurnDependencies,
): Promise<void> {
  if (holdsFor(decision)) await holdUntilWindowReopens(turn, decision, deps);
  const { refusal, tell } = decision;
  turn.activity?.typeOrMarkRead(false);
  deps.logger.info(
    { mode, limit: refusal.limit, told: tell, resetsInMs: refusal.resetsInMs },
    'turn refused by fair-use limit',
  );
  turn.mode = mode;
  turn.outcome = tell
    ? notice(modeTexts.refused(turn.t, refusal), `limit:${refusal.limit}`)
    : notice('', `limit-repeat:${refusal.limit}`);
  const isModeLimit = (modeNames as readonly string[]).includes(refusal.limit);
  if (tell && isModeLimit) turn.choices = choicesBesides(mode, deps, turn.t);
}

/** Only turns that will reach the model are charged: notices for unreadable input are free. */
function callsModel(message: InboundMessage, plan: ModePlan): boolean {
  if (message.unsupported !== undefined) return false;
  if (!message.text?.trim() && message.attachments.length === 0 && !message.location) return false;
  return plan.complete !== undefined;
}
