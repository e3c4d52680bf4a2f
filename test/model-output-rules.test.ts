import { BACKEND_PRESETS } from '../src/inference/backend-presets';
import { providerFromResponse, providerFromUrl } from '../src/inference/backend-detection';
import type { ToolChatMessage } from '../src/inference/chat-message';
import { inTemplateOrder, withOlderHalfLeftOut } from '../src/inference/message-order';
import { visibleAnswer } from '../src/inference/reasoning-text';
import { executeProductTool, PRODUCT_TOOLS } from '../src/shopping/product-tools';
import { LLM_PROVIDERS, loadConfig } from '../config';
import { testEnv } from './helpers/system';
import { recording } from './helpers/backend-recordings';
import { firstOf } from './helpers/present';

/**
 * The pure rules under the model client: what of the content a person may see, the message
 * order every chat template accepts, tool schemas valid under OpenAI's strict mode, which backend
 * a server is, and each preset's reasoning switch.
 */
describe('what a person may see of the content', () => {
  it.each([
    ['<think>plan it</think>\n\nThe answer.', 'The answer.'],
    ['Sure. <thinking>hmm</thinking>Done.', 'Sure. Done.'],
    ['<THINK>\nlong\n</THINK>Answer', 'Answer'],
    ['<thought>summary</thought>Paris.', 'Paris.'],
    ['reasoning the template opened\n</think>\n\nHello!', 'Hello!'],
    ['<think>cut by the token limit', ''],
    ['Partial answer. <think>and then it went on thinking', 'Partial answer.'],
    ['<|channel|>analysis<|message|>why<|end|><|start|>assistant<|channel|>final<|message|>Final.', 'Final.'],
    ['<|channel|>analysis<|message|>only thinking', ''],
    ['Plain answer, 2 < 3 and <b>bold</b>.', 'Plain answer, 2 < 3 and <b>bold</b>.'],
  ])('%j → %j', (content, shown) => {
    const visible = visibleAnswer(content);
    expect(visible.text).toBe(shown);
    expect(visible.hadReasoning).toBe(content !== shown && !content.startsWith('Plain'));
  });
});

describe('the message order chat templates accept', () => {
  const user = (content: string): ToolChatMessage => ({ role: 'user', content });
  const assistant = (content: string): ToolChatMessage => ({ role: 'assistant', content });

  it('merges every system text into one first message, consecutive users and assistants into one each', () => {
    const ordered = inTemplateOrder([
      { role: 'system', content: 'prompt' },
      { role: 'system', content: 'memory' },
      assistant('a greeting nobody asked for'),
      user('first'),
      user('second'),
      assistant('one'),
      assistant('two'),
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/jpeg;base64,AA' } }] },
      user('what is this?'),
    ]);
    expect(ordered).toEqual([
      { role: 'system', content: 'prompt\n\nmemory' },
      user('first\n\nsecond'),
      assistant('one\n\ntwo'),
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,AA' } },
          { type: 'text', text: 'what is this?' },
        ],
      },
    ]);
  });

  it('leaves tool exchanges as they are, and shortens history by its older half (never the latest turn)', () => {
    const tools: ToolChatMessage[] = [
      { role: 'assistant', content: null, toolCalls: [{ id: 'c1', name: 'search_products', arguments: '{}' }] },
      { role: 'tool', toolCallId: 'c1', content: '{}' },
    ];
    const messages = [
      { role: 'system', content: 's' } as ToolChatMessage,
      user('1'),
      assistant('1'),
      user('2'),
      assistant('2'),
      user('now'),
      ...tools,
    ];
    expect(inTemplateOrder(messages)).toEqual(messages);
    expect(withOlderHalfLeftOut(messages)).toEqual([messages[0], user('2'), assistant('2'), user('now'), ...tools]);
    expect(withOlderHalfLeftOut([firstOf(messages), user('now')])).toBeUndefined();
  });
});

describe('tool schemas under OpenAI strict mode', () => {
  it.each(PRODUCT_TOOLS.map((tool) => [tool.function.name, tool] as const))('%s', (_name, tool) => {
    const schema = tool.function.parameters as {
      type: string;
      properties: Record<string, { type: string | string[] }>;
      required: string[];
      additionalProperties: boolean;
    };
    expect(schema.type).toBe('object');
    expect(schema.additionalProperties).toBe(false);
    expect([...schema.required].sort()).toEqual(Object.keys(schema.properties).sort());
    for (const [name, property] of Object.entries(schema.properties)) {
      const types = Array.isArray(property.type) ? property.type : [property.type];
      // Only the arguments the tool cannot run without stay non-nullable.
      expect([name, types.includes('null')]).toEqual([name, !['query', 'id'].includes(name)]);
    }
  });

  it('reads null as "not given", as a strict-mode model sends every optional argument', () => {
    const allNull = {
      query: 'boots',
      min_price: null,
      max_price: null,
      brand: null,
      category: null,
      color: null,
      size: null,
      in_stock: null,
      limit: null,
    };
    const search = { search: () => [], get: () => undefined } as never;
    const outcome = executeProductTool(search, 'search_products', JSON.stringify(allNull));
    expect(outcome.error).toBeUndefined();
    expect(outcome.search).toEqual({ query: 'boots' });
  });
});

describe('which backend a server is', () => {
  it.each([
    ['https://api.openai.com/v1', 'openai'],
    ['https://api.groq.com/openai/v1', 'groq'],
    ['https://openrouter.ai/api/v1', 'openrouter'],
    ['https://api.deepseek.com', 'deepseek'],
    ['https://generativelanguage.googleapis.com/v1beta/openai/', 'gemini'],
    ['http://localhost:11434/v1', 'ollama'],
    ['http://127.0.0.1:8000/v1', undefined],
  ])('%s → %s', (url, provider) => {
    expect(providerFromUrl(url)).toBe(provider);
  });

  it.each([
    ['ollama', 'plain', 'ollama'],
    ['llamacpp', 'plain', 'llamacpp'],
    ['vllm', 'plain', 'vllm'],
    ['groq', 'plain', 'groq'],
    ['deepseek', 'plain', 'deepseek'],
    ['openrouter', 'plain', 'openrouter'],
    ['openai', 'plain', undefined],
    ['gemini', 'plain', undefined],
  ] as const)('a %s response (%s) names %s', (provider, name, expected) => {
    expect(providerFromResponse(recording(provider, name).body)).toBe(expected);
  });

  it('knows llama.cpp by its Server header', () => {
    expect(providerFromResponse({}, new Headers({ server: 'llama.cpp' }))).toBe('llamacpp');
  });
});

describe('each preset turns reasoning off for fast turns and on for thinking turns', () => {
  it.each(LLM_PROVIDERS.filter((provider) => provider !== 'generic'))('%s', (provider) => {
    const preset = BACKEND_PRESETS[provider];
    const off = preset.reasoningSwitch(false, undefined);
    const on = preset.reasoningSwitch(true, undefined);
    expect(Object.keys(off).length).toBeGreaterThan(0);
    expect(on).not.toEqual(off);
    // `none` configured for a reasoning mode means it does not reason either.
    expect(preset.reasoningSwitch(true, 'none')).toEqual(off);
  });

  it('generic sends only what the operator configured', () => {
    expect(BACKEND_PRESETS.generic.reasoningSwitch(false, undefined)).toEqual({});
    expect(BACKEND_PRESETS.generic.reasoningSwitch(true, 'high')).toEqual({ reasoning_effort: 'high' });
  });
});

describe('LLM_PROVIDER', () => {
  it('names a preset, is unset by default, and refuses an unknown backend by name', () => {
    expect(loadConfig(testEnv({ LLM_PROVIDER: 'vllm' })).llm.provider).toBe('vllm');
    expect(loadConfig(testEnv()).llm.provider).toBeUndefined();
    expect(() => loadConfig(testEnv({ LLM_PROVIDER: 'lmstudio' }))).toThrow(
      /LLM_PROVIDER: must be one of openai, ollama/,
    );
  });
});
