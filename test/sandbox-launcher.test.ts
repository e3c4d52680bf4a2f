import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseSandboxEnv } from '../config/sandbox-env';
import { memoryMessage } from '../src/memory/memory-prompt';
import { demoAnswer, imageDimensions, startDemoResponder } from '../sandbox/demo-responder';
import { chooseModelSource } from '../sandbox/model-source';
import { findRedis, freePort, pingRedis, RedisNotAvailableError } from '../sandbox/redis';
import { FakeHttpServer } from './helpers/http-fake';
import { makePng } from './sandbox/start-test-sandbox';
import { createOpenAiChatModel } from '../src/inference/chat-model';
import { contemplate, DRAFT_ANGLES, DRAFTS_INSTRUCTION } from '../src/modes/contemplate';
import { firstOf } from './helpers/present';

/** The launcher's choices: which Redis, which model, and what the demo responder says. */
describe('sandbox Redis discovery', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sbx-redis-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('REDIS_URL wins and is not probed or started', async () => {
    const redis = await findRedis({ redisUrl: 'redis://10.0.0.1:6390', dataDir: dir });
    expect(redis).toMatchObject({ url: 'redis://10.0.0.1:6390', origin: 'REDIS_URL' });
  });

  test('a Redis answering on the local port is used as it is', async () => {
    const redis = await findRedis({ redisUrl: undefined, dataDir: dir });
    expect(redis).toMatchObject({ url: 'redis://127.0.0.1:6379', origin: 'local-6379' });
  });

  test('with nothing on the local port, redis-server from PATH is started with its data under the project, and stopped', async () => {
    const unused = await freePort();
    const redis = await findRedis({ redisUrl: undefined, dataDir: dir, localPort: unused });
    try {
      expect(redis.origin).toBe('started');
      const port = Number(new URL(redis.url).port);
      expect(await pingRedis('127.0.0.1', port)).toBe(true);
      await redis.stop();
      expect(await pingRedis('127.0.0.1', port)).toBe(false);
    } finally {
      await redis.stop();
    }
  });

  test('with no Redis and no redis-server, it stops with install instructions', async () => {
    const unused = await freePort();
    const attempt = findRedis({
      redisUrl: undefined,
      dataDir: dir,
      localPort: unused,
      redisServer: 'redis-server-not-installed-here',
    });
    await expect(attempt).rejects.toBeInstanceOf(RedisNotAvailableError);
    await expect(attempt).rejects.toThrow(/sudo apt-get install -y redis-server[\s\S]*brew install redis/);
  });
});

describe('sandbox model source', () => {
  const base = { SANDBOX_DETECT_OLLAMA: 'true' };

  test('LLM_BASE_URL is used as configured', async () => {
    const source = await chooseModelSource(
      parseSandboxEnv({ ...base, LLM_BASE_URL: 'http://127.0.0.1:9/v1', LLM_MODEL_FAST: 'my-model' }),
    );
    expect(source).toMatchObject({ kind: 'configured', model: 'my-model', env: {} });
    await source.stop();
  });

  test('a local Ollama is detected: its /v1 and its first model (or OLLAMA_MODEL); voice goes to the labelled demo STT', async () => {
    const ollama = await new FakeHttpServer((request) =>
      request.path === '/api/tags'
        ? {
            status: 200,
            body: {
              models: [
                { name: 'llama3.2:latest', model: 'llama3.2:latest' },
                { name: 'qwen2.5:0.5b', model: 'qwen2.5:0.5b' },
              ],
            },
          }
        : { status: 404 },
    ).start();
    try {
      const first = await chooseModelSource(parseSandboxEnv({ ...base, OLLAMA_HOST: ollama.url }));
      expect(first.kind).toBe('ollama');
      expect(first.env).toMatchObject({
        LLM_BASE_URL: `${ollama.url}/v1`,
        LLM_MODEL_FAST: 'llama3.2:latest',
        STT_BASE_URL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/v1$/) as unknown,
      });
      await first.stop();
      const chosen = await chooseModelSource(
        parseSandboxEnv({ ...base, OLLAMA_HOST: ollama.url, OLLAMA_MODEL: 'qwen2.5:0.5b' }),
      );
      expect(chosen.env.LLM_MODEL_FAST).toBe('qwen2.5:0.5b');
      await chosen.stop();
    } finally {
      await ollama.stop();
    }
  });

  test('with no model anywhere, the clearly labelled demo responder answers, with a hint on how to plug one in', async () => {
    const nothing = await freePort();
    const source = await chooseModelSource(parseSandboxEnv({ ...base, OLLAMA_HOST: `http://127.0.0.1:${nothing}` }));
    try {
      expect(source.kind).toBe('demo');
      expect(source.label).toMatch(/not an AI model/);
      expect(source.hint).toMatch(/LLM_BASE_URL/);
      const response = await fetch(`${source.env.LLM_BASE_URL}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: source.model,
          messages: [
            { role: 'system', content: 's' },
            { role: 'user', content: 'hello' },
          ],
        }),
      });
      const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
      // One line under one label: how to plug a model in is the page's banner, not every answer's tail.
      expect(firstOf(body.choices).message.content).toBe(
        '🧪 Offline demo responder (not an AI model) · Threadline passed me: “hello” (0 earlier messages)',
      );
    } finally {
      await source.stop();
    }
  });
});

describe('demo responder', () => {
  test('reports a photo it was given as a data URL: type, size and dimensions', () => {
    const png = makePng(40, 30, [1, 2, 3]);
    expect(imageDimensions(png)).toEqual({ width: 40, height: 30 });
    const answer = demoAnswer([
      { role: 'user', content: 'earlier' },
      { role: 'assistant', content: 'reply' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'what is this?' },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${png.toString('base64')}` } },
        ],
      },
    ]);
    expect(answer).toContain('“what is this?”');
    expect(answer).toContain(`a photo: image/png, ${png.length} bytes, 40×30 px`);
    expect(answer).toContain('(2 earlier messages)');
    expect(answer.split('\n')).toHaveLength(2);
    expect(answer.match(/Offline demo responder/g)).toHaveLength(1);
  });

  test('plays contemplating: drafts name their angle, the merged answer shows them briefly and never the instruction that asked for it', async () => {
    const demo = await startDemoResponder();
    try {
      const model = createOpenAiChatModel({ baseUrl: demo.baseUrl, apiKey: 'demo', timeoutMs: 10_000 });
      const answer = await contemplate(model, { model: 'demo', drafts: 3, maxTokens: 200 }, [
        { role: 'system', content: 'You are a helpful assistant.' },
        { role: 'user', content: 'how do I keep basil alive?' },
      ]);
      const lines = answer.text.split('\n');
      expect(lines[0]).toBe('🧪 Offline demo responder (not an AI model) · 0 earlier messages');
      expect(lines[1]).toBe('Contemplating “how do I keep basil alive?”: 3 drafts, merged into this answer.');
      expect(lines.slice(2)).toEqual([
        `1. ${DRAFT_ANGLES[0]}`,
        expect.stringMatching(/^2\. Be the careful skeptic: .{20,}…$/),
        `3. ${DRAFT_ANGLES[2]}`,
      ]);
      expect(answer.text).not.toContain(DRAFTS_INSTRUCTION);
      expect(answer.text).not.toMatch(/---|Draft \d:/);
    } finally {
      await demo.stop();
    }
  });

  test('with memory on, counts the remembered facts it was given and proposes an "I\'m ..." sentence', () => {
    const memory = memoryMessage([{ text: 'I wear size 42', category: 'sizes' }]);
    const answer = demoAnswer([memory, { role: 'user', content: "I'm vegetarian" }]);
    expect(answer).toContain('remembered facts sent along: 1');
    expect(answer).toContain("[remember: I'm vegetarian | other]");
    expect(demoAnswer([{ role: 'user', content: "I'm vegetarian" }])).not.toContain('[remember:');
  });

  test('says plainly that speech-to-text is not configured instead of inventing a transcript', async () => {
    const demo = await startDemoResponder();
    try {
      const form = new FormData();
      form.append('model', 'whisper-1');
      form.append('file', new Blob([Buffer.alloc(3000)], { type: 'audio/ogg' }), 'voice.ogg');
      const response = await fetch(`${demo.baseUrl}/audio/transcriptions`, { method: 'POST', body: form });
      const body = (await response.json()) as { text: string };
      expect(body.text).toMatch(/^\[speech-to-text not configured: .* about \d/);
    } finally {
      await demo.stop();
    }
  });
});
