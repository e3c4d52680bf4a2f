import type { Order } from '../core/inbound';
import { summariseOrder } from '../shopping/order-summary';
import type { TurnContext } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';
import { currentMode, type CommandAnswer, type ModeDeps } from './command-answer';

/**
 * A WhatsApp order (a cart sent from the catalog) is answered without the model: a summary with
 * its total and the next step, kept in the history like an exchange. It is never dropped: with no
 * catalog loaded the lines name the products by their retailer ids.
 */
export async function answerOrder(
  order: Order,
  turn: TurnContext,
  deps: ModeDeps & Pick<TurnDependencies, 'checkoutUrl'>,
): Promise<CommandAnswer> {
  const summary = summariseOrder(order, deps.checkoutUrl, deps.catalog?.current()?.search, turn.t);
  return {
    outcome: {
      kind: 'notice',
      text: summary.text,
      reason: 'order',
      remember: [
        { role: 'user', content: summary.historyText },
        { role: 'assistant', content: summary.text },
      ],
    },
    mode: await currentMode(turn, deps),
  };
}
