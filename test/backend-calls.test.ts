import type { LlmProvider } from '../config';
import { createOpenAiChatModel, type ChatModel } from '../src/inference/chat-model';
import { ImagesNotSupportedError, RequestRejectedError } from '../src/inference/errors';
import { PRODUCT_TOOLS } from '../src/shopping/product-tools';
import { recording } from './helpers/backend-recordings';
import { FakeModel, type ChatBody } from './helpers/fake-model';
import { defined, firstOf } from './helpers/present';

/**
 * The chat model client against each backend's recorded tool calls and refusals, over real HTTP
 * to the fake model: tool calls read from every backend's shape, one repair round for arguments
 * that are not JSON, reasoning handed back where DeepSeek needs it, strict tools for OpenAI,
 * photos kept from backends that take none, and refusals typed so shopping can fall back.
 */
describe('chat calls against recorded backend responses', () => {
  let model: FakeModel;
  beforeEach(async () => {
    model = await new FakeModel().start();
  });
  afterEach(async () => model.stop());

  const client = (provider?: LlmProvider): Required<ChatModel> =>
    createOpenAiChatModel({ baseUrl: model.url, apiKey: undefined, timeoutMs: 5000, provider }) as Required<ChatModel>;
  const ask = {
    model: 'm',
    maxTokens: 100,
    tools: PRODUCT_TOOLS,
    messages: [{ role: 'user' as const, content: 'shoes?' }],
  };
  const sent = (): Array<ChatBody & Record<string, unknown>> =>
    model.chatRequests() as Array<ChatBody & Record<string, unknown>>;

  it.each([
    ['openai', 'tool-call', 'get_user_country', '{}'],
    ['groq', 'tool-call', 'weather', '{}'],
    ['deepseek', 'tool-call', 'weather', '{"location": "San Francisco"}'],
    ['openrouter', 'tool-call', 'divide', '{"numerator": 123, "denominator": 456, "on_inf": "infinity"}'],
    ['ollama', 'tool-call', 'search_products', '{"query":"running shoes"}'],
    ['vllm', 'tool-call', 'search_products', '{"query": "running shoes", "max_price": 100}'],
    ['gemini', 'tool-call', 'search_products', '{"query":"running shoes"}'],
    ['llamacpp', 'tool-call-documented', 'python', '{"code":" \\nprint(\\"Hello, World!\\")"}'],
  ] as const)('reads %s tool calls (%s)', async (provider, name, tool, args) => {
    model.script(recording(provider, name));
    const reply = await client(provider).converse(ask);
    expect(reply.toolCalls).toEqual([expect.objectContaining({ name: tool, arguments: args })]);
    expect(reply.text).toBe('');
    const tools = firstOf(sent()).tools as Array<{ function: { strict?: boolean } }>;
    // OpenAI's strict mode where the preset takes it; the schemas are written to its rules either way.
    expect(tools.every((t) => t.function.strict === (provider === 'openai' ? true : undefined))).toBe(true);
  });

  it('gives arguments that are not JSON one repair round, never sending the broken JSON back', async () => {
    const broken = structuredClone(recording('vllm', 'tool-call'));
    const call = firstOf(
      firstOf(
        (broken.body as { choices: Array<{ message: { tool_calls: Array<{ function: { arguments: string } }> } }> })
          .choices,
      ).message.tool_calls,
    );
    call.function.arguments = '{"query": "running shoes", max_price: }';
    model.script(broken);
    model.script(recording('vllm', 'tool-call'));
    const reply = await client('vllm').converse(ask);
    expect(firstOf(reply.toolCalls).arguments).toBe('{"query": "running shoes", "max_price": 100}');
    expect(reply.usage).toEqual({ promptTokens: 820, completionTokens: 62 });
    const repair = defined(sent()[1]?.messages);
    expect(repair.at(-2)).toMatchObject({ role: 'assistant', tool_calls: [{ function: { arguments: '{}' } }] });
    expect(repair.at(-1)?.role).toBe('tool');
    expect(repair.at(-1)?.content).toMatch(/not valid JSON.*search_products again/);
    expect(JSON.stringify(sent()[1])).not.toContain('max_price: }');
  });

  it('hands DeepSeek its reasoning back with the tool calls, and no other backend', async () => {
    model.script(recording('deepseek', 'tool-call'));
    const reply = await client('deepseek').converse(ask);
    expect(reply.reasoning).toBe("The user asks about weather in San Francisco. I'll call the weather tool.");
    const next = {
      ...ask,
      messages: [
        ...ask.messages,
        { role: 'assistant' as const, content: null, toolCalls: reply.toolCalls, reasoning: reply.reasoning },
        { role: 'tool' as const, toolCallId: firstOf(reply.toolCalls).id, content: '{"temp": 18}' },
      ],
    };
    await client('deepseek').converse(next);
    expect(defined(sent()[1]?.messages)[1]).toHaveProperty('reasoning_content', reply.reasoning);
    await client('groq').converse(next);
    expect(defined(sent()[2]?.messages)[1]).not.toHaveProperty('reasoning_content');
  });

  it('keeps a photo from a backend that takes none, and types the refusal of one that says so', async () => {
    const photo = [{ type: 'image_url' as const, image_url: { url: 'data:image/jpeg;base64,AAAA' } }];
    const request = {
      mode: 'fast' as const,
      model: 'm',
      maxTokens: 50,
      messages: [{ role: 'user' as const, content: photo }],
    };
    await expect(client('deepseek').complete(request)).rejects.toBeInstanceOf(ImagesNotSupportedError);
    expect(sent()).toHaveLength(0);
    model.script(recording('deepseek', 'image-refused'));
    await expect(client('generic').complete(request)).rejects.toBeInstanceOf(RequestRejectedError);
  });

  it.each([
    ['groq', 'json-mode-with-tools'],
    ['gemini', 'thought-signature'],
    ['openrouter', 'no-endpoint'],
  ] as const)('types a refused %s request (%s) so the caller can fall back', async (provider, name) => {
    model.script(recording(provider, name));
    await expect(client(provider).converse(ask)).rejects.toBeInstanceOf(RequestRejectedError);
    expect(sent()).toHaveLength(1);
  });

  it('stops waiting out a Retry-After when the turn is aborted', async () => {
    model.script(recording('groq', 'rate-limit', { 'retry-after': '15' }));
    const abort = new AbortController();
    const started = Date.now();
    setTimeout(() => abort.abort(), 200);
    await expect(
      client('groq').complete({ mode: 'fast', model: 'm', maxTokens: 10, messages: [], signal: abort.signal }),
    ).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(3000);
    expect(sent()).toHaveLength(1);
  });
});
