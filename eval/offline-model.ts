import { FakeModel, type ChatBody } from '../test/helpers/fake-model';
import { referenceFor, type Conversation } from './suite';
import { LANGUAGE_DATA } from './text-reading';

/**
 * The offline reference model: with no LLM_BASE_URL, `npm run eval` runs against this stand-in,
 * which answers each message of the suite with the reference answer written beside it. It is not
 * a model: its scores say the harness and the product's pipeline work (what reaches the person,
 * the first-contact notice, routing), not how good any model is.
 */
export const OFFLINE_MODEL = 'threadline-eval-reference';

/** The text of the last message the person wrote, as the request carries it. */
function lastUserText(body: ChatBody): string {
  const last = [...(body.messages ?? [])].reverse().find((m) => m.role === 'user');
  return FakeModel.describe(last?.content).trim();
}

/** Which message of the suite a request is about: the exact text, or one a synthesis starts with. */
export function answerFromSuite(conversations: Conversation[]): (body: ChatBody) => string {
  const byText = new Map<string, string>();
  const starts: Array<[string, string]> = [];
  for (const conversation of conversations) {
    conversation.messages.forEach((message, index) => {
      const answer = referenceFor(conversation, index) ?? LANGUAGE_DATA[conversation.language].fallback;
      byText.set(message, answer);
      starts.push([message, answer]);
    });
  }
  return (body) => {
    const asked = lastUserText(body);
    return byText.get(asked) ?? starts.find(([message]) => asked.startsWith(message))?.[1] ?? LANGUAGE_DATA.en.fallback;
  };
}

export function startOfflineModel(conversations: Conversation[]): Promise<FakeModel> {
  return new FakeModel(answerFromSuite(conversations)).start();
}
