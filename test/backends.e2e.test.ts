import type { LlmProvider } from '../config';
import { replyTexts } from '../src/core/reply-texts';
import { translatorFor } from '../src/i18n/translator';
import { freePort } from '../sandbox/redis';
import { recording } from './helpers/backend-recordings';
import { FakeModel, type ChatBody } from './helpers/fake-model';
import { whatsAppText } from './helpers/payloads';
import { parsePrometheusText, sampleValue } from './helpers/prometheus-text';
import { replies } from './helpers/replies';
import { startSystem, type TestSystem } from './helpers/system';
import { defined, firstOf } from './helpers/present';

const ENGLISH = translatorFor('en');

/**
 * Each backend preset (LLM_PROVIDER) against its own backend's recorded responses
 * (test/fixtures/backends/<provider>/, sources in its README), through the whole system: what
 * the person receives through the fake Send API, and what request body the fake model got (the
 * reasoning switch, the token-limit field). No reasoning ever reaches a person: system.stop()
 * fails any test whose Send API calls carried a reasoning tag.
 */
const MODELS = { LLM_MODEL_FAST: 'fast-model', LLM_MODEL_THINKING: 'thinking-model' };
const USER = '16505557000';

describe('model backends, replayed from their recordings', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  async function start(provider: LlmProvider | undefined, env: Record<string, string> = {}, model = new FakeModel()) {
    const named = provider ? { LLM_PROVIDER: provider } : {};
    system = await startSystem({ model, env: { ...MODELS, ...named, ...env } });
  }

  /** What the person got back for one message (every part of the reply, joined). */
  async function say(text: string): Promise<string> {
    const before = replies(system.graph, USER).length;
    await system.deliver('whatsapp', whatsAppText(USER, text));
    await system.graph.waitFor(() => replies(system.graph, USER).length > before, 15_000);
    return replies(system.graph, USER)
      .slice(before)
      .map((reply) => reply.text)
      .join('\n');
  }

  const replay = (provider: LlmProvider, name: string, headers?: Record<string, string>) =>
    system.model.script(recording(provider, name, headers));
  const bodies = (): Array<ChatBody & Record<string, unknown>> =>
    system.model.chatRequests() as Array<ChatBody & Record<string, unknown>>;
  const lastBody = () => defined(bodies()[bodies().length - 1]);
  /** The recorded answer as a chat message carries it (the splitter drops spaces at line ends). */
  const contentOf = (provider: LlmProvider, name: string): string => {
    const body = recording(provider, name).body as { choices: Array<{ message: { content: string } }> };
    return firstOf(body.choices)
      .message.content.replace(/[ \t]+$/gm, '')
      .trim();
  };

  describe('vllm', () => {
    it('turns thinking off for fast turns and on for thinking turns (chat_template_kwargs.enable_thinking)', async () => {
      await start('vllm');
      replay('vllm', 'plain');
      expect(await say('hi')).toBe('Hello! How can I help you today?');
      expect(lastBody()).toMatchObject({
        model: 'fast-model',
        chat_template_kwargs: { enable_thinking: false },
        max_completion_tokens: 1024,
      });
      expect(lastBody()).not.toHaveProperty('max_tokens');
      await say('/think');
      replay('vllm', 'reasoning-field');
      expect(await say('which is larger, 9.8 or 9.11?')).toBe('9.8 is larger than 9.11.');
      expect(lastBody()).toMatchObject({ model: 'thinking-model', chat_template_kwargs: { enable_thinking: true } });
    });

    it('shows only the answer when a server without a reasoning parser leaves <think> in the content', async () => {
      await start('vllm');
      replay('vllm', 'inline-think');
      const answer = await say("cos'è uno scrum master?");
      expect(answer).toMatch(/^Uno Scrum Master è un ruolo/);
      expect(answer).not.toMatch(/Okay, the user/);
    });

    it.each(['context-length', 'context-length-before-0.10'])(
      'answers after a context-length error (%s) by leaving out the older half of the history',
      async (name) => {
        await start('vllm');
        await say('first question');
        await say('second question');
        replay('vllm', name);
        replay('vllm', 'plain');
        expect(await say('third question')).toBe('Hello! How can I help you today?');
        const [refused, retried] = bodies().slice(-2);
        expect(defined(retried!.messages).length).toBeLessThan(defined(refused!.messages).length);
        expect(defined(retried!.messages).at(-1)).toEqual({ role: 'user', content: 'third question' });
      },
    );
  });

  describe('llamacpp', () => {
    it('sends enable_thinking false/true, reasoning_format deepseek and max_tokens', async () => {
      await start('llamacpp');
      replay('llamacpp', 'plain');
      expect(await say('hi')).toBe('Hello! How can I help you today?');
      expect(lastBody()).toMatchObject({
        chat_template_kwargs: { enable_thinking: false },
        reasoning_format: 'deepseek',
        reasoning_effort: 'none',
        max_tokens: 1024,
      });
      await say('/think');
      replay('llamacpp', 'reasoning-field');
      expect(await say('what is 17 times 23?')).toBe('391');
      expect(lastBody()).toMatchObject({
        chat_template_kwargs: { enable_thinking: true },
        reasoning_format: 'deepseek',
      });
    });

    it('cuts reasoning before a lone </think> (the template opened the block)', async () => {
      await start('llamacpp');
      replay('llamacpp', 'lone-closing-think');
      expect(await say('Hello')).toBe(
        'Hello! How can I assist you today? 😊 Whether you have questions, need help with something specific, or just want to chat, feel free to let me know!',
      );
    });

    it('apologises when the token limit cut the model inside an unclosed <think>', async () => {
      await start('llamacpp');
      replay('llamacpp', 'length-unclosed-think');
      expect(await say('what is 17 times 19?')).toBe(replyTexts.modelNoAnswer(ENGLISH));
    });

    it('retries a context-size error with less history, and rides out a 503 while the model loads', async () => {
      await start('llamacpp');
      await say('an earlier question');
      replay('llamacpp', 'context-size');
      replay('llamacpp', 'plain');
      expect(await say('and now?')).toBe('Hello! How can I help you today?');
      replay('llamacpp', 'loading');
      replay('llamacpp', 'plain');
      expect(await say('still there?')).toBe('Hello! How can I help you today?');
    });
  });

  describe('ollama', () => {
    it('sends reasoning_effort none for fast turns and an effort for thinking turns, with max_tokens', async () => {
      await start('ollama');
      replay('ollama', 'plain');
      expect(await say('hi')).toBe('Hello! How can I help you today?');
      expect(lastBody()).toMatchObject({ reasoning_effort: 'none', max_tokens: 1024 });
      await say('/think');
      replay('ollama', 'reasoning-field');
      expect(await say('capital of France?')).toBe('The capital of France is Paris.');
      expect(lastBody()).toMatchObject({ reasoning_effort: 'medium', max_tokens: 4096 });
    });

    it('gives the usable part of an answer cut at the token limit, with a note', async () => {
      await start('ollama');
      replay('ollama', 'length');
      expect(await say('hello!')).toBe(`Hello\n\n${replyTexts.answerCutShort(ENGLISH)}`);
    });
  });

  describe('groq', () => {
    it('turns reasoning off and keeps it out of the answer; a thinking turn carries the configured effort', async () => {
      await start('groq', { LLM_REASONING_EFFORT_THINKING: 'high' });
      replay('groq', 'plain');
      expect(await say('invent a holiday')).toBe(contentOf('groq', 'plain'));
      expect(lastBody()).toMatchObject({
        reasoning_effort: 'none',
        include_reasoning: false,
        max_completion_tokens: 1024,
      });
      await say('/think');
      replay('groq', 'reasoning-field');
      const answer = await say('how many r in strawberry?');
      expect(answer).toBe(contentOf('groq', 'reasoning-field'));
      expect(answer).not.toMatch(/Let me start by breaking down/);
      expect(lastBody()).toMatchObject({ reasoning_effort: 'high', include_reasoning: false });
    });

    it('strips <think> from raw-format content', async () => {
      await start('groq');
      replay('groq', 'inline-think');
      expect(await say('how many r in strawberry?')).toBe('There are 3 r\'s in "strawberry".');
    });

    it('notes a cut answer, and apologises when the cut left only reasoning', async () => {
      await start('groq');
      replay('groq', 'length-with-answer');
      expect(await say('17 times 19?')).toBe(
        `${contentOf('groq', 'length-with-answer')}\n\n${replyTexts.answerCutShort(ENGLISH)}`,
      );
      replay('groq', 'length-reasoning-only');
      expect(await say('17 times 19, explain')).toBe(replyTexts.modelNoAnswer(ENGLISH));
    });

    it('waits out a 429 Retry-After before trying again, and trims after context_length_exceeded', async () => {
      await start('groq');
      replay('groq', 'rate-limit', { 'retry-after': '1' });
      replay('groq', 'plain');
      expect(await say('hello')).toBe(contentOf('groq', 'plain'));
      const [limited, retried] = system.model.requests.slice(-2);
      expect(retried!.at - limited!.at).toBeGreaterThanOrEqual(950);
      replay('groq', 'context-length');
      replay('groq', 'plain');
      expect(await say('again')).toBe(contentOf('groq', 'plain'));
      expect(defined(bodies().at(-1)?.messages).length).toBeLessThan(defined(bodies().at(-2)?.messages).length);
    });
  });

  describe('openai', () => {
    it('sends reasoning_effort and max_completion_tokens; metrics and /why show the reasoning tokens', async () => {
      await start('openai', { METRICS_PORT: String(await freePort()) });
      replay('openai', 'plain');
      expect(await say('invent a holiday')).toBe(contentOf('openai', 'plain'));
      expect(lastBody()).toMatchObject({ reasoning_effort: 'none', max_completion_tokens: 1024 });
      expect(lastBody()).not.toHaveProperty('max_tokens');
      await say('/think');
      replay('openai', 'reasoning-tokens');
      expect(await say('hello')).toBe('Hello there! How can I help you today?');
      expect(lastBody()).toMatchObject({ reasoning_effort: 'medium', max_completion_tokens: 4096 });
      expect(await say('/why')).toMatch(/reasoned for 64 tokens before answering/);
      const scraped = await fetch(`http://127.0.0.1:${defined(system.workers).metricsPort}/metrics`);
      const labels = { mode: 'thinking', model: 'thinking-model', kind: 'reasoning' };
      expect(sampleValue(parsePrometheusText(await scraped.text()), 'threadline_model_tokens_total', labels)).toBe(64);
    });
  });

  describe('openrouter', () => {
    it('sends the unified reasoning object and never shows reasoning or reasoning_details', async () => {
      await start('openrouter');
      replay('openrouter', 'plain');
      expect(await say('Reply with the single word: ok')).toBe('ok');
      expect(lastBody()).toMatchObject({ reasoning: { effort: 'none', exclude: true }, max_tokens: 1024 });
      await say('/think');
      replay('openrouter', 'reasoning-field');
      expect(await say('Reply with the single word: ok')).toBe('ok');
      expect(lastBody()).toMatchObject({ reasoning: { effort: 'medium', exclude: true } });
      expect(await say('/why')).toMatch(/reasoned for 47 tokens/);
    });

    it('apologises when no provider serves the model (404)', async () => {
      await start('openrouter');
      replay('openrouter', 'no-endpoint');
      expect(await say('hello')).toBe(replyTexts.modelFailed(ENGLISH));
    });
  });

  describe('deepseek', () => {
    it('sends thinking disabled/enabled and answers without the reasoning_content', async () => {
      await start('deepseek');
      replay('deepseek', 'plain');
      expect(await say('invent a holiday')).toBe(contentOf('deepseek', 'plain'));
      expect(lastBody()).toMatchObject({ thinking: { type: 'disabled' }, max_tokens: 1024 });
      await say('/think');
      replay('deepseek', 'reasoning-field');
      expect(await say('how many r in strawberry?')).toBe('There are **3** “r”s in **“strawberry”**.');
      expect(lastBody()).toMatchObject({ thinking: { type: 'enabled' } });
      replay('deepseek', 'length-reasoning-only');
      expect(await say('and in raspberry?')).toBe(replyTexts.modelNoAnswer(ENGLISH));
      await say('/fast');
      replay('deepseek', 'context-length');
      replay('deepseek', 'plain');
      expect(await say('one more')).toBe(contentOf('deepseek', 'plain'));
    });
  });

  describe('gemini', () => {
    it('sends reasoning_effort none for fast turns and strips <thought> summaries', async () => {
      await start('gemini');
      replay('gemini', 'plain');
      expect(await say('capital of France?')).toBe('Paris is the capital of France.');
      expect(lastBody()).toMatchObject({ reasoning_effort: 'none', max_tokens: 1024 });
      replay('gemini', 'thought-inline');
      expect(await say('and again?')).toBe('Paris is the capital of France.');
    });

    it('reads errors wrapped in a JSON array: 429 waited out, context overflow trimmed, a refused effort dropped', async () => {
      await start('gemini');
      await say('warm up');
      replay('gemini', 'rate-limit', { 'retry-after': '1' });
      replay('gemini', 'context-length');
      replay('gemini', 'plain');
      expect(await say('capital of France?')).toBe('Paris is the capital of France.');
      expect(defined(bodies().at(-1)?.messages).length).toBeLessThan(defined(bodies().at(-2)?.messages).length);
      replay('gemini', 'effort-refused');
      replay('gemini', 'plain');
      expect(await say('once more')).toBe('Paris is the capital of France.');
      expect(bodies().at(-2)).toHaveProperty('reasoning_effort', 'none');
      expect(bodies().at(-1)).not.toHaveProperty('reasoning_effort');
      replay('gemini', 'plain');
      await say('and the next turn remembers');
      expect(lastBody()).not.toHaveProperty('reasoning_effort');
    });
  });

  describe('generic (LLM_PROVIDER unset)', () => {
    it('sends no reasoning switch, and becomes the backend that identifies itself', async () => {
      await start(undefined);
      replay('llamacpp', 'plain');
      expect(await say('hi')).toBe('Hello! How can I help you today?');
      expect(lastBody()).not.toHaveProperty('chat_template_kwargs');
      expect(lastBody()).toHaveProperty('max_tokens', 1024);
      expect(await say('and now?')).toBe('echo: and now? (history: 2)');
      expect(lastBody()).toMatchObject({ chat_template_kwargs: { enable_thinking: false } });
    });

    it('reads thinking parts and harmony channels as reasoning, and swaps a refused max_tokens', async () => {
      await start(undefined);
      replay('generic', 'content-parts-thinking');
      expect(await say('17 times 23?')).toBe('391');
      replay('generic', 'harmony-leak');
      expect(await say('capital of France?')).toBe('The capital of France is Paris.');
      replay('openai', 'max-tokens-refused');
      replay('openai', 'reasoning-tokens');
      expect(await say('hello')).toBe('Hello there! How can I help you today?');
      expect(bodies().at(-2)).toHaveProperty('max_tokens');
      expect(bodies().at(-1)).toHaveProperty('max_completion_tokens', 1024);
    });
  });
});
