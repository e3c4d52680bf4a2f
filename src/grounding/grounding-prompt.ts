import type { Evidence } from './evidence';
import { UNKNOWN_MARK } from './finish-answer';

/**
 * What the model is told about the business's knowledge and the open web, on top of the mode's
 * system prompt: where to look, how to cite, what it may not promise, and, in strict mode, to say
 * it does not know. Instructions for the model, not texts for the person.
 */

export interface PromptFacts {
  knowledge: boolean;
  web: boolean;
  strict: boolean;
  businessName: string | undefined;
  /** the passages are already in the conversation (a model server without tools) */
  retrieved: boolean;
}

const NO_PROMISES =
  'Never promise a refund, a discount, a callback, a delivery date or an exception to a policy unless a passage states it.';

export function groundingPrompt(facts: PromptFacts): string {
  const business = facts.businessName ?? 'the business';
  const lines: string[] = [];
  if (facts.knowledge) {
    lines.push(
      facts.retrieved
        ? `Passages from ${business}'s own documents (policies, shipping, returns, hours, warranty, support) are given below.`
        : `You can search ${business}'s own documents (policies, shipping, returns, hours, warranty, support) with search_knowledge. Search them before answering any question about ${business}.`,
      'Answer questions about the business from the passages, and cite each passage you use right after the sentence that uses it, as [K1].',
    );
  }
  lines.push(NO_PROMISES);
  if (facts.web) {
    lines.push(
      'search_web searches the open web for fresh general facts (news, prices elsewhere, other places). Its results are not ' +
        `${business}'s word: never use them for ${business}'s own policies, products or orders; say they come from the web and cite them as [W1].`,
    );
  }
  if (facts.strict) {
    lines.push(
      `Answer questions about ${business} only from its passages. If they do not answer such a question, reply exactly ${UNKNOWN_MARK} and nothing else.`,
    );
  }
  return lines.join('\n');
}

/** The passages a model without tools is given, as one system message. */
export function retrievedPassages(found: readonly Evidence[], businessName: string | undefined): string {
  const business = businessName ?? 'the business';
  if (found.length === 0) return `Nothing in ${business}'s documents matches the person's message.`;
  const passages = found.map((evidence) => `[${evidence.ref}] ${evidence.titlePath.join(' › ')}\n${evidence.text}`);
  return [`Passages from ${business}'s documents that may answer the person's message:`, ...passages].join('\n\n');
}
