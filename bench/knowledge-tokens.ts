/**
 * What the business's knowledge costs in tokens per turn (a script, not a test): one fast-mode
 * question about returns, answered through the real grounding code (src/grounding) against the
 * sandbox's demo help centre, read and searched by the real knowledge base (src/knowledge), with a
 * recording model in place of the API. It counts every token the model
 * is sent and sends back, with the o200k_base tokenizer (gpt-4o's; other models' tokenizers land
 * within about 10 %): message contents plus 4 per message, the tool definitions as their JSON.
 *
 *   npm run bench:knowledge-tokens
 */
import { countTokens } from 'gpt-tokenizer';
import { Grounding, type GroundingSources } from '../src/grounding/grounding';
import { groundedComplete } from '../src/grounding/grounded-call';
import { createWebSearch } from '../src/grounding/web-search';
import type { ChatMessage, ChatModel, ChatRequest } from '../src/inference/chat-model';
import { RequestRejectedError } from '../src/inference/errors';
import type { ToolChatRequest } from '../src/inference/tool-chat';
import { builtInSystemPrompt } from '../src/modes/system-prompt';
import { fakeSearxng } from '../test/helpers/fake-web-search';
import { KnowledgeIndex } from '../src/knowledge/knowledge-index';
import type { KnowledgeSearch } from '../src/knowledge/passage';
import { readKnowledge } from '../src/knowledge/read-sources';
import { DEMO_HELP_CENTRE } from '../sandbox/demo-business';

const QUESTION = 'What is your return policy? I bought shoes last week.';
const ANSWER =
  'You can return unworn shoes within 30 days, with the tags on [K1]. Refunds take up to 5 business days [K2].';
const PER_MESSAGE = 4;

interface Counted {
  calls: number;
  prompt: number;
  completion: number;
  /** the first call's prompt: what a turn pays when the model answers without searching */
  first?: number;
}

function messageTokens(messages: ToolChatRequest['messages']): number {
  return messages.reduce((sum, message) => {
    const content = 'content' in message ? message.content : '';
    const text = typeof content === 'string' ? content : JSON.stringify(content ?? '');
    const calls = 'toolCalls' in message ? JSON.stringify(message.toolCalls) : '';
    return sum + PER_MESSAGE + countTokens(text) + (calls ? countTokens(calls) : 0);
  }, 0);
}

/** A model that looks the question up once (when offered tools), then answers ANSWER; every call counted. */
function recordingModel(counted: Counted, tools: boolean): ChatModel {
  return {
    complete: (request: ChatRequest) => {
      counted.calls += 1;
      counted.prompt += messageTokens(request.messages);
      counted.first ??= counted.prompt;
      counted.completion += countTokens(ANSWER);
      return Promise.resolve({ text: ANSWER, model: 'recording', usage: undefined });
    },
    converse: (request: ToolChatRequest) => {
      if (!tools) return Promise.reject(new RequestRejectedError('this model does not support tools'));
      counted.calls += 1;
      counted.prompt +=
        messageTokens(request.messages) + (request.tools ? countTokens(JSON.stringify(request.tools)) : 0);
      counted.first ??= counted.prompt;
      const looked = request.messages.some((message) => message.role === 'tool');
      const name = request.tools?.some((t) => t.function.name === 'search_web') && !looked ? 'search_web' : undefined;
      if (looked) {
        counted.completion += countTokens(ANSWER);
        return Promise.resolve({ text: ANSWER, toolCalls: [], model: 'recording', usage: undefined });
      }
      const calls = [{ id: 'call_1', name: 'search_knowledge', arguments: JSON.stringify({ query: 'return policy' }) }];
      if (name) calls.push({ id: 'call_2', name, arguments: JSON.stringify({ query: 'shoe return policy' }) });
      counted.completion += countTokens(JSON.stringify(calls));
      return Promise.resolve({ text: '', toolCalls: calls, model: 'recording', usage: undefined });
    },
  };
}

async function turn(sources: Partial<GroundingSources> | undefined, tools = true): Promise<Counted> {
  const counted: Counted = { calls: 0, prompt: 0, completion: 0 };
  const messages: ChatMessage[] = [
    { role: 'system', content: builtInSystemPrompt('whatsapp') },
    { role: 'user', content: QUESTION },
  ];
  const grounding = sources
    ? new Grounding({ knowledge: null, web: null, strict: false, businessName: 'Demo Shop', ...sources })
    : undefined;
  const request: ChatRequest = { mode: 'fast', model: 'recording', messages, maxTokens: 1024 };
  await groundedComplete(recordingModel(counted, tools), request, grounding);
  return counted;
}

/** The demo help centre as the workers read and search it. */
async function helpCentre(): Promise<KnowledgeSearch> {
  const child = { timeoutMs: 30_000, maxMemoryMb: 256 };
  const read = await readKnowledge([DEMO_HELP_CENTRE], {
    maxBytes: 1 << 24,
    maxPages: 50,
    downloadTimeoutMs: 30_000,
    child,
  });
  const index = await KnowledgeIndex.build(read.passages);
  return { size: index.size, search: (query, limit = 5) => Promise.resolve(index.search(query, limit)) };
}

async function main(): Promise<void> {
  const knowledge = await helpCentre();
  const web = await fakeSearxng().start();
  const webSearch = createWebSearch({ provider: 'searxng', baseUrl: web.url, timeoutMs: 2000 });
  const rows: Array<[string, Counted]> = [
    ['no knowledge (the plain call)', await turn(undefined)],
    ['knowledge, search_knowledge tool', await turn({ knowledge })],
    ['knowledge, strict mode', await turn({ knowledge, strict: true })],
    ['knowledge + web, both tools', await turn({ knowledge, web: webSearch })],
    ['knowledge, retrieval step (no tools)', await turn({ knowledge }, false)],
  ];
  await web.stop();
  const base = rows[0]![1];
  console.log(`help centre: ${knowledge.size} passages; question: "${QUESTION}"\n`);
  console.log('| turn | model calls | first call prompt | prompt tokens | completion tokens | added per turn |');
  console.log('|---|---|---|---|---|---|');
  for (const [name, counted] of rows) {
    const added = counted.prompt + counted.completion - base.prompt - base.completion;
    const cells = [name, counted.calls, counted.first, counted.prompt, counted.completion, added];
    console.log(`| ${cells.join(' | ')} |`);
  }
}

void main();
