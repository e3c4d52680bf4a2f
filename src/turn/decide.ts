import { modeTexts } from '../commands/texts';
import type { InboundMessage } from '../core/inbound';
import { isReasoningMode, modeNames, type ModeChoice } from '../core/modes';
import type { ChargeDecision, LimitedUser } from '../limits/fair-use-limiter';
import { planFor, type ModePlan } from '../modes/mode-plan';
import { notice, type DecidedAnswer, type Decision, type TurnContext } from '../turn-state/turn-context';
import { chargeChosenMode, chooseMode, type ChooseModeDeps } from './choose-mode';
import type { TurnDependencies } from '../turn-state/turn-dependencies';
import { holdsFor, holdUntilWindowReopens } from './hold-turn';
import { takeModeQuestion } from './mode-question';
import { isTap, quickAnswerFor, type QuickAnswerDeps } from '../quick-answers/quick-answer';
import type { TellDeps } from '../outbound';
import { productTurnOf } from '../quick-answers/product-focus';
import { choicesBesides, currentMode, type ModeDeps } from '../quick-answers/command-answer';

/** What deciding reaches: the quick answers, the mode and its limits, the "still thinking" note's delay. */
export type DecideDeps = Pick<TurnDependencies, 'thinkingNoteAfterMs'> & QuickAnswerDeps & ChooseModeDeps & TellDeps;

/**
 * Decide: what kind of turn this is, before anything slow happens. A command is answered at once
 * (no model, no media), and so are answers to the bot's yes/no questions and taps on buttons.
 * Otherwise the conversation's mode (in auto, the one this message needs: choose-mode.ts; a mode
 * command with a question switches it first) gives the plan, and a turn that will reach the model
 * is charged against the fair-use limits of the mode used; a refused turn never downloads,
 * transcribes or calls anything, and one refused by the burst limit is held until its window
 * reopens (hold-turn.ts). Typing starts once the turn is allowed (and for reasoning modes the
 * "still thinking" note).
 *
 * Returns what it decided: `answered` (the outcome is known) or `planned` (the model answers).
 */
export async function decide(turn: TurnContext, deps: DecideDeps): Promise<Decision> {
  const { message, messageKey } = turn;
  const user: LimitedUser = { platform: message.platform, userId: message.userId, person: turn.person };
  const quick = await quickAnswerFor(turn, deps);
  if (quick) {
    // Commands and other quick answers cost burst points only, so spamming /help is refused
    // like any other flood; an answer to the bot itself costs nothing.
    const decision = quick.answersBot ? null : await deps.limiter.chargeCommand(user, messageKey);
    if (decision && !decision.allowed) return refuse(turn, decision, await currentMode(turn, deps), deps);
    turn.activity.typeOrMarkRead(false);
    return { kind: 'answered', ...(await quick.run()) };
  }

  const modeQuestion = (await takeModeQuestion(turn, deps)) ?? undefined;
  const productTurn = productTurnOf(message, deps);
  const chosen = productTurn ? { mode: 'shopping' as const } : await chooseMode(turn, modeQuestion, deps);
  const planned = { kind: 'planned' as const, modeQuestion, focus: productTurn?.focus, route: chosen.route };
  const plan = planFor(chosen.mode, deps.modes, deps.model, message.platform, turn.t.language);
  if (!callsModel(modeQuestion?.message ?? message, plan)) {
    turn.activity.typeOrMarkRead(false);
    return { ...planned, mode: chosen.mode, plan };
  }
  const charged = await chargeChosenMode(turn, user, chosen, deps, { burst: !isTap(message) });
  if (!charged.decision.allowed) return refuse(turn, charged.decision, charged.mode, deps);
  turn.activity.typeOrMarkRead(true);
  if (isReasoningMode(charged.mode) && deps.thinkingNoteAfterMs > 0) {
    turn.activity.noteAfter(deps.thinkingNoteAfterMs, modeTexts.stillThinking(turn.t));
  }
  return {
    ...planned,
    mode: charged.mode,
    plan:
      charged.mode === chosen.mode
        ? plan
        : planFor(charged.mode, deps.modes, deps.model, message.platform, turn.t.language),
    route: charged.route,
    routeNote: charged.routeNote,
  };
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
  deps: ModeDeps & TellDeps,
): Promise<DecidedAnswer> {
  if (holdsFor(decision)) await holdUntilWindowReopens(turn, decision, deps);
  const { refusal, tell } = decision;
  turn.activity.typeOrMarkRead(false);
  turn.log.info(
    { mode, limit: refusal.limit, told: tell, resetsInMs: refusal.resetsInMs },
    'turn refused by fair-use limit',
  );
  const outcome = tell
    ? notice(modeTexts.refused(turn.t, refusal), `limit:${refusal.limit}`)
    : notice('', `limit-repeat:${refusal.limit}`);
  const isModeLimit = (modeNames as readonly string[]).includes(refusal.limit);
  if (tell && isModeLimit) return { kind: 'answered', mode, outcome, choices: choicesBesides(mode, deps, turn.t) };
  return { kind: 'answered', mode, outcome };
}
/** Only turns that will reach the model are charged: notices for unreadable input are free. */
function callsModel(message: InboundMessage, plan: ModePlan): boolean {
  if (message.unsupported !== undefined) return false;
  if (!message.text?.trim() && message.attachments.length === 0 && !message.location) return false;
  return plan.complete !== undefined;
}
