import { modeTexts } from '../commands/texts';
import type { Mode } from '../core/modes';
import type { ChargeDecision, LimitedUser } from '../limits/fair-use-limiter';
import { routeMessage, type AutoRoute } from '../modes/auto-route';
import type { ModeQuestion, TurnContext } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';
import { currentMode, type ModeDeps } from '../quick-answers/command-answer';

/** What choosing the mode reaches: the person's choice, and in auto mode the router. */
export type ChooseModeDeps = ModeDeps & Pick<TurnDependencies, 'model' | 'modes' | 'metrics'>;

/**
 * The mode a message is answered in: the one the person chose, or in auto mode fast or thinking,
 * whichever this message needs (src/modes/auto-route.ts). Auto's choice and its reason go on the
 * decision (`route`) for `/why` and the metrics. A message that cannot reach the model (unsupported,
 * or no model configured) is not weighed: it gets its notice in fast mode. A mode command with a
 * question (`/think <question>`) names its mode, which wins over auto.
 */
export async function chooseMode(
  turn: TurnContext,
  modeQuestion: ModeQuestion | undefined,
  deps: ChooseModeDeps,
): Promise<ChosenMode> {
  if (modeQuestion) return { mode: modeQuestion.mode };
  const choice = await currentMode(turn, deps);
  if (choice !== 'auto') return { mode: choice };
  const { message } = turn;
  if (message.unsupported !== undefined || !deps.model) return { mode: 'fast' };
  const { routerModel, routerTimeoutMs } = deps.modes.auto;
  const router = routerModel
    ? { model: deps.model, settings: { model: routerModel, timeoutMs: routerTimeoutMs } }
    : undefined;
  const routed = await routeMessage(message.text, router, turn.signal);
  if (routed.router !== 'none') deps.metrics.autoRouterCalls.inc({ result: routed.router });
  return { mode: routed.route.mode, route: routed.route };
}

/** The mode a message is answered in, and in auto mode why auto chose it. */
export interface ChosenMode {
  mode: Mode;
  route?: AutoRoute;
}

/**
 * Charges the turn to the mode it is answered in. When auto chose thinking and thinking's limit
 * is spent, the message is answered fast instead (charged to fast, under a decision of its own so
 * a retry replays both) and the answer says so, once per window: the refusal's `tell`. `burst:
 * false` (a tap) leaves the burst limit out of both charges.
 */
export async function chargeChosenMode(
  turn: TurnContext,
  user: LimitedUser,
  chosen: ChosenMode,
  deps: Pick<TurnDependencies, 'limiter'>,
  options: { burst: boolean },
): Promise<ChargedMode> {
  const { mode, route } = chosen;
  const decision = await deps.limiter.charge(user, mode, turn.messageKey, options);
  // Whatever auto chose on this attempt: a retry may weigh the message differently from the
  // attempt that recorded the refusal.
  if (decision.allowed || decision.refusal.limit !== 'thinking' || !route) return { decision, mode, route };
  const fast = await deps.limiter.charge(user, 'fast', `${turn.messageKey}:fast`, options);
  const routeNote = fast.allowed && decision.tell ? modeTexts.autoThinkingSpent(turn.t, decision.refusal) : undefined;
  return { decision: fast, mode: 'fast', route: { mode: 'fast', reason: 'thinking-limit' }, routeNote };
}

/** The charge, and the mode the turn is answered in after it: auto's fallback, when it told the person why, says so. */
export interface ChargedMode extends ChosenMode {
  decision: ChargeDecision;
  routeNote?: string;
}
