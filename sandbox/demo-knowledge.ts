import { isBusinessQuestion } from '../src/grounding/business-question';
import { SEARCH_KNOWLEDGE } from '../src/grounding/grounding';
import { SEARCH_PRODUCTS } from '../src/shopping/product-tools';
import { DEMO_LABEL, textOf, type DemoMessage, type DemoShoppingReply } from './demo-shopping';

/**
 * The offline demo responder's questions about the business, through the same tool a model
 * uses: offered `search_knowledge` and asked about shipping, returns, hours and the like, it
 * searches with the person's words; once the passages are back it says which passages it was
 * given, word for word, each with its reference ([K1]) so Threadline shows them as sources under
 * the answer. It is not a model and says so.
 */

interface GivenPassage {
  ref?: unknown;
  title?: unknown;
  text?: unknown;
}

function offers(tools: unknown, name: string): boolean {
  return Array.isArray(tools) && tools.some((tool: { function?: { name?: unknown } }) => tool?.function?.name === name);
}

const QUOTED_CHARS = 160;

/** Beside the shopping tools, only questions about the shop's policies go to the help centre. */
const POLICY_WORDS =
  /\b(?:return|refund|exchange|ship|shipping|deliver|delivery|warranty|guarantee|hours|open|closed|privacy|size guide|sizing|track)/i;

/** The answer to a search_knowledge result: the passages it was given, each cited. */
export function answerFromPassages(content: string, query: string): string {
  let result: { passages?: GivenPassage[]; error?: unknown } = {};
  try {
    result = JSON.parse(content) as typeof result;
  } catch {
    return `${DEMO_LABEL}\nThe knowledge tool answered something I cannot read.`;
  }
  const passages = Array.isArray(result.passages) ? result.passages : [];
  if (passages.length === 0)
    return `${DEMO_LABEL}\nI searched the help centre for “${query}” and was given no passage.`;
  const lines = passages.map((p) => {
    const text = typeof p.text === 'string' ? p.text : '';
    const quoted = text.length > QUOTED_CHARS ? `${text.slice(0, QUOTED_CHARS)}…` : text;
    return `• ${String(p.title)}: “${quoted}” [${String(p.ref)}]`;
  });
  const count = `${passages.length} passage${passages.length === 1 ? '' : 's'}`;
  return [DEMO_LABEL, `I searched the help centre for “${query}” and was given ${count}:`, ...lines].join('\n');
}

/** The demo's reply to a question about the business, or undefined when this is not one it takes. */
export function demoKnowledgeReply(messages: DemoMessage[], tools: unknown): DemoShoppingReply {
  if (!offers(tools, SEARCH_KNOWLEDGE)) return undefined;
  const lastUser = messages.map((m) => m.role).lastIndexOf('user');
  if (lastUser < 0) return undefined;
  const after = messages.slice(lastUser + 1);
  const call = after.find((m) => m.role === 'assistant' && Array.isArray(m.tool_calls));
  const first = (call?.tool_calls as Array<{ function: { name: string; arguments: string } }> | undefined)?.[0];
  if (first?.function.name === SEARCH_KNOWLEDGE) {
    const result = after.filter((m) => m.role === 'tool').at(-1);
    const query = (JSON.parse(first.function.arguments) as { query?: string }).query ?? '';
    return result ? { content: answerFromPassages(textOf(result), query) } : undefined;
  }
  const words = textOf(messages[lastUser]).trim();
  const aboutPolicies = offers(tools, SEARCH_PRODUCTS) ? POLICY_WORDS.test(words) : isBusinessQuestion(words);
  if (first || !words || !aboutPolicies) return undefined;
  return {
    toolCall: {
      id: `call_demo_knowledge_${lastUser}`,
      type: 'function',
      function: { name: SEARCH_KNOWLEDGE, arguments: JSON.stringify({ query: words.slice(0, 200) }) },
    },
  };
}
