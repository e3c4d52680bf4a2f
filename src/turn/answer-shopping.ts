import { modeTexts } from '../commands/texts';
import type { ProductCards } from '../core/product-card';
import { replyTexts } from '../core/reply-texts';
import type { ChatAnswer, ChatMessage } from '../inference/chat-model';
import type { ModePlan } from '../modes/mode-plan';
import { productCard } from '../shopping/product-cards';
import { answerShopping } from '../shopping/shopping-answer';
import { focusText, shoppingFacts, shoppingSystemPrompt } from '../shopping/shopping-prompt';
import { notice, type TurnContext, type TurnOutcome } from './context';
import type { TurnDependencies } from './dependencies';

/** A model answer, with a shopping answer's cards and what the history keeps of the person's turn. */
export type ShoppingReply = ChatAnswer & { cards?: ProductCards; historyText?: string };

/** The most cards one answer shows (Messenger and Instagram carousels take 10). */
const MAX_CARDS = 10;

/**
 * A shopping turn's model call: the grounding rules and the person's remembered shopping facts
 * (only when their memory is on: the memory step fills `factsUsed` then) on top of the system
 * prompt, the tool loop over the worker's catalog, and the cards of the products the answer
 * names. Sets `searches` for /why. Without a loaded catalog the person is told it is not ready.
 */
export async function askShopping(
  turn: TurnContext,
  plan: ModePlan,
  conversation: { history: ChatMessage[]; user: ChatMessage['content']; text: string },
  deps: TurnDependencies,
): Promise<ShoppingReply | TurnOutcome> {
  const current = deps.catalog?.current();
  const { model } = deps;
  const settings = deps.modes.shopping;
  if (!model || !settings.model) return notice(replyTexts.modelNotConfigured, 'model-not-configured');
  if (!current) return notice(modeTexts.catalogNotReady, 'shopping:catalog-not-ready');
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
  });
  turn.searches = answer.searches;
  const cards = answer.recommended.slice(0, MAX_CARDS).map((product) => productCard(product));
  return {
    text: answer.text,
    model: answer.model,
    usage: answer.usage,
    ...(answer.cutShort ? { cutShort: true } : {}),
    cards: cards.length ? { cards, catalogId: current.meta.catalogId, heading: answer.heading } : undefined,
    historyText: focus?.kind === 'more-like-this' ? `More like this: ${focus.product.title}` : undefined,
  };
}
