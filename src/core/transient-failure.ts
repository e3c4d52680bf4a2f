/**
 * The one rule for "is this failure worth trying again later", for every HTTP service we call
 * (Graph sends and media lookups, media downloads, the model and speech-to-text APIs): no answer
 * at all (`status` undefined: timeout, refused or reset connection), 408 (request timeout), 409
 * (a conflicting request still in flight), 429 (rate limited) or any 5xx. Everything else is an
 * answer that the same request will get again.
 */
export function isTransientStatus(status: number | undefined): boolean {
  return status === undefined || status === 408 || status === 409 || status === 429 || status >= 500;
}
