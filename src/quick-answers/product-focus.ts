import { parseMoreLikeThisPayload } from '../core/product-card';
import type { InboundMessage } from '../core/inbound';
import type { ProductFocus } from '../shopping/shopping-prompt';
import type { TurnDependencies } from '../turn-state/turn-dependencies';

/**
 * Whether a message is about one catalog product whatever mode the conversation is in: a tapped
 * "More like this" (Messenger, Instagram) searches from that product; a WhatsApp text sent with
 * "Message business" from a product (`referred_product`) asks about it. Both are shopping turns
 * when there is a catalog; `focus` is unset when the product is no longer in it.
 */
export interface ProductTurn {
  focus: ProductFocus | undefined;
}

export function productTurnOf(message: InboundMessage, deps: Pick<TurnDependencies, 'catalog'>): ProductTurn | null {
  if (!deps.catalog) return null;
  const moreLike = parseMoreLikeThisPayload(message.payload);
  const referred = message.referredProduct?.productRetailerId;
  const id = moreLike ?? referred;
  if (id === undefined) return null;
  const product = deps.catalog.current()?.search.get(id);
  return { focus: product ? { product, kind: moreLike ? 'more-like-this' : 'referred' } : undefined };
}

/** A "More like this" tap: a shopping turn, never the welcome other unknown taps get. */
export function isMoreLikeThisTap(message: InboundMessage, deps: Pick<TurnDependencies, 'catalog'>): boolean {
  return deps.catalog !== null && parseMoreLikeThisPayload(message.payload) !== undefined;
}
