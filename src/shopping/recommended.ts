import type { Product } from '../catalog/product';
import type { ProductFocus } from './shopping-prompt';

/**
 * The products an answer recommends: those the tools found that its text names, by exact title
 * or id, once each. Cards come only from here, so a product the model made up (or misnamed) gets
 * no card; the product a "More like this" tap searched from is not shown again.
 */
export function recommendedIn(found: Product[], text: string, focus: ProductFocus | undefined): Product[] {
  const lower = text.toLowerCase();
  const seen = new Set<string>();
  if (focus?.kind === 'more-like-this') seen.add(focus.product.id);
  return found.filter((product) => {
    if (seen.has(product.id)) return false;
    const mentioned = lower.includes(product.title.toLowerCase()) || text.includes(product.id);
    if (mentioned) seen.add(product.id);
    return mentioned;
  });
}
