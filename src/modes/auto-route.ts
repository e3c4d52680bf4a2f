import type { ChatModel } from '../inference/chat-model';
import { signalVerdict, type FastSignal, type ThinkingSignal } from './route-signals';

/**
 * Auto mode: each message is answered in fast or thinking mode, whichever it needs. Where a router
 * model is configured (LLM_MODEL_ROUTER) it is asked for a one-word verdict under a strict time
 * budget; its silence, an error or an unclear word leaves the choice to the message's own
 * signals (route-signals.ts), which are always at hand and cost nothing.
 */

/** Why auto chose as it did: a signal of the message, the router's verdict, or thinking's spent limit. */
export type RouteReason = ThinkingSignal | FastSignal | 'router' | 'thinking-limit';

export interface AutoRoute {
  mode: 'fast' | 'thinking';
  reason: RouteReason;
}

/** What became of the router's call, for the metrics: `none` when no router is configured. */
export type RouterOutcome = 'verdict' | 'unclear' | 'timeout' | 'error' | 'none';

export interface RouterSettings {
  model: string;
  /** the call's whole budget, ms */
  timeoutMs: number;
}

const ROUTER_PROMPT = [
  'You route chat messages to the right kind of answer. Reply with exactly one word.',
  'Reply "thinking" when a good answer needs careful reasoning: health or medical questions, legal,',
  'financial or policy questions, maths or calculations, multi-step problems, planning, comparisons',
  'and decisions with trade-offs. Reply "fast" for everything else: greetings, small talk, thanks,',
  'simple facts, definitions, quick questions. The message may be in any language.',
].join(' ');

/** Whatever a model says around its verdict (reasoning tags, punctuation), the first verdict word. */
export function verdictIn(answer: string): 'fast' | 'thinking' | undefined {
  const spoken = answer.replace(/<(think|thought|reasoning)>[\s\S]*?<\/\1>/gi, '').toLowerCase();
  const word = /\b(fast|thinking|think)\b/.exec(spoken)?.[1];
  if (!word) return undefined;
  return word === 'fast' ? 'fast' : 'thinking';
}

async function askRouter(
  model: ChatModel,
  router: RouterSettings,
  text: string,
  signal: AbortSignal,
): Promise<{ verdict?: 'fast' | 'thinking'; outcome: RouterOutcome }> {
  const budget = AbortSignal.timeout(router.timeoutMs);
  try {
    const answer = await model.complete({
      mode: 'fast',
      model: router.model,
      messages: [
        { role: 'system', content: ROUTER_PROMPT },
        { role: 'user', content: text },
      ],
      maxTokens: 16,
      // The budget is the abort signal: the client's own timeout is far longer.
      signal: AbortSignal.any([signal, budget]),
    });
    const verdict = verdictIn(answer.text);
    return verdict ? { verdict, outcome: 'verdict' } : { outcome: 'unclear' };
  } catch {
    // Any failure, including the budget running out, leaves the choice to the signals.
    return { outcome: budget.aborted ? 'timeout' : 'error' };
  }
}

/**
 * Fast or thinking for this message. The router is asked only about a message with words; a
 * voice note or photo without a caption has none yet when the turn is decided, and is answered fast.
 */
export async function routeMessage(
  text: string | undefined,
  router: { model: ChatModel; settings: RouterSettings } | undefined,
  signal: AbortSignal,
): Promise<{ route: AutoRoute; router: RouterOutcome }> {
  const signals = signalVerdict(text);
  const fallback: AutoRoute = { mode: signals.mode, reason: signals.signal };
  if (!router || signals.signal === 'no-text') return { route: fallback, router: 'none' };
  const asked = await askRouter(router.model, router.settings, text!.trim(), signal);
  if (!asked.verdict) return { route: fallback, router: asked.outcome };
  return { route: { mode: asked.verdict, reason: 'router' }, router: asked.outcome };
}
