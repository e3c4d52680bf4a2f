/**
 * A source an answer used, as the person sees it under the answer: a passage of the business's
 * own documents, or a result from the open web (always marked as such, never presented as the
 * business's word). Platform modules turn these into their own messages (a WhatsApp CTA URL
 * button, a Messenger or Instagram button template); a source without a link is a short line.
 */
export interface Citation {
  /** what the answer took from it, e.g. "Returns: 30 days, unworn" */
  label: string;
  /** where it is, e.g. "Shipping & returns" (a document's title) or a web page's title */
  source: string;
  /** where the person can open it; undefined for a local document without a public address */
  url: string | undefined;
  /** found on the open web, not in the business's own documents */
  web: boolean;
}

/** The citations that can be buttons (they have a link), each link once, in order. */
export function linkedCitations(citations: readonly Citation[]): Citation[] {
  const seen = new Set<string>();
  return citations.filter((citation) => citation.url && !seen.has(citation.url) && seen.add(citation.url));
}
