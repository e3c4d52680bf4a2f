import { shoppingMemoryTexts } from '../commands/memory-texts';
import { listIn, type Translator } from '../i18n/translator';
import { modeTexts } from '../commands/texts';
import { currentPrice, formatMoney } from '../catalog/product';
import type { ProductCards } from '../core/product-card';
import { replyTexts } from '../core/reply-texts';
import type { ChatAnswer, ChatMessage } from '../inference/chat-model';
import type { Grounding } from '../grounding/grounding';
import type { ModePlan } from '../modes/mode-plan';
import type { UnmetWish, WishVerdict } from '../shopping/honoured-search';
import { productCard } from '../shopping/product-cards';
import { answerShopping } from '../shopping/shopping-answer';
import { focusText, shoppingFacts, shoppingSystemPrompt } from '../shopping/shopping-prompt';
import { notice, type AnswerMade, type PlannedTurn, type TurnOutcome } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';

/**
 * A model answer, with a shopping answer's cards, what the history keeps of the person's turn,
 * and its photo in words when the shopping search had to describe it.
 */
export type ShoppingReply = ChatAnswer & {
  cards?: ProductCards;
  historyText?: string;
  photoWords?: string;
  /** the catalog searches run for this answer, in words (`/why` shows them) */
  searches?: string[];
};

/** The catalog the shopping search runs over, and the model and settings of shopping mode. */
export type ShoppingDeps = Pick<TurnDependencies, 'catalog' | 'model' | 'modes'>;

/** The most cards one answer shows (Messenger and Instagram carousels take 10). */
const MAX_CARDS = 10;

function unmetText(t: Translator, { wish, closest }: UnmetWish): string {
  const price = currentPrice(closest);
  const wanted =
    wish.kind === 'budget'
      ? formatMoney({ amount: wish.max!, currency: wish.currency ?? price.currency })
      : listIn(t, wish.labels, 'disjunction');
  return shoppingMemoryTexts.unmet(t, {
    kind: wish.kind,
    wanted,
    closest: { title: closest.title, price: formatMoney(price) },
  });
}

/** The lines under the answer: the remembered facts its products honour, then those they cannot. */
function rememberedLines(t: Translator, verdict: WishVerdict): string {
  const honoured = verdict.honoured.map((fact) => fact.text);
  const lines = [
    ...(honoured.length > 0 ? [shoppingMemoryTexts.honoured(t, honoured)] : []),
    ...verdict.unmet.map((unmet) => unmetText(t, unmet)),
  ];
  return lines.length > 0 ? `\n\n${lines.join('\n')}` : '';
}

/**
 * A shopping turn's model call: the grounding rules and the person's remembered shopping facts
 * (only when their memory is on: recall returns them then) on top of the system prompt, the tool
 * loop over the worker's catalog, and the cards of the products the answer names, with the
 * searches it ran for /why. Without a loaded catalog the person is told it is not ready.
 */
export async function askShopping(
  turn: Pick<PlannedTurn, 't' | 'signal' | 'focus'> & Pick<AnswerMade, 'factsUsed'>,
  plan: ModePlan,
  conversation: { history: ChatMessage[]; user: ChatMessage['content']; text: string },
  deps: ShoppingDeps,
  grounding?: Grounding,
): Promise<ShoppingReply | TurnOutcome> {
  const current = deps.catalog?.current();
  const { model } = deps;
  const settings = deps.modes.shopping;
  if (!model || !settings.model) return notice(replyTexts.modelNotConfigured(turn.t), 'model-not-configured');
  if (!current) return notice(modeTexts.catalogNotReady(turn.t), 'shopping:catalog-not-ready');
  const facts = shoppingFacts(turn.factsUsed);
  const { focus } = turn;
  const answer = await answerShopping({
    model,
    settings: { model: settings.model, maxTokens: settings.maxTokens, timeoutMs: settings.timeoutMs },
    search: current.search,
    systemPrompt: shoppingSystemPrompt(plan.systemPrompt, facts),
    history: conversation.history,
    user: focus ? focusText(focus, conversation.text) : conversation.user,
    // a voice note's words are its transcript; a photo's are its caption
    userText: typeof conversation.user === 'string' ? conversation.user : conversation.text,
    facts,
    focus,
    signal: turn.signal,
    grounding,
  });
  const cards = answer.recommended.slice(0, MAX_CARDS).map((product) => productCard(product, turn.t.language));
  return {
    text: answer.text + rememberedLines(turn.t, answer.remembered),
    model: answer.model,
    usage: answer.usage,
    ...(answer.cutShort ? { cutShort: true } : {}),
    cards: cards.length
      ? { cards, catalogId: current.meta.catalogId, heading: answer.heading ?? turn.t('card.heading') }
      : undefined,
    historyText: focus?.kind === 'more-like-this' ? `More like this: ${focus.product.title}` : undefined,
    photoWords: answer.photoWords,
    searches: answer.searches,
  };
}
