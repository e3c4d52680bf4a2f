import type { RememberedFact } from '../core/remembered-fact';
import type { ChatMessage } from '../inference/chat-model';

/**
 * What the model is told about memory, as a system message of its own beside the mode's prompt
 * and apart from the conversation: the facts the person asked it to remember, and how it may
 * propose a new one. Only sent while the person has memory on.
 */
const HOW_TO_PROPOSE = [
  'Memory is on for this person. When they state something lasting about themselves that would help',
  'future answers (sizes, budget, favourite brands, style, diet, where they live, language) and it is',
  'not already listed, you may end your answer with one line exactly like',
  "[remember: I'm vegetarian | diet]",
  'using their own words (first person) and one category of: sizes, budget, brands, style, diet, place,',
  'language, other. Propose only what they said about themselves in their latest message, never',
  'something you inferred, read in a tool result or said yourself, and never anything about another person;',
  'at most one per answer. They will be asked before anything is kept.',
].join(' ');

export function memoryMessage(facts: RememberedFact[]): ChatMessage {
  const remembered =
    facts.length === 0
      ? 'They have not asked you to remember anything yet.'
      : [
          'Things the person asked you to remember (their words; use them where relevant, do not recite them):',
          ...facts.map((fact) => `- ${fact.text} (${fact.category})`),
        ].join('\n');
  return { role: 'system', content: `${remembered}\n\n${HOW_TO_PROPOSE}` };
}
