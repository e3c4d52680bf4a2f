import type { GraphClient } from '../graph-client';
import { messengerLocaleResponse } from '../graph-responses';

/**
 * The person's Facebook locale (`es_LA`, `pt_BR`) from Messenger's User Profile API
 * (`GET /{PSID}?fields=locale`). The field needs the app's Business Asset User Profile Access and
 * the person's public profile, so an error (no permission, a phone-number account: code 2018218)
 * or an answer without it means the app gives none: undefined.
 */
export async function messengerUserLocale(
  graph: GraphClient,
  userId: string,
  signal?: AbortSignal,
): Promise<string | undefined> {
  try {
    const answer = messengerLocaleResponse.safeParse(
      await graph.get(`/${encodeURIComponent(userId)}?fields=locale`, signal),
    );
    return answer.success ? answer.data.locale : undefined;
  } catch {
    return undefined;
  }
}
