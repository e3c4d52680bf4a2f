import path from 'node:path';
import { loadConfig } from '../../config';
import { startSystem, testEnv, type TestSystem } from '../helpers/system';
import { defined } from '../helpers/present';

/**
 * The worker starts the knowledge base with everything else: with KNOWLEDGE_SOURCES set, the first
 * worker reads them and the snapshot is in Redis before turns start; unset, nothing is read and
 * nothing is written. The settings default as the contract says.
 */

const HELP = path.join(__dirname, '..', 'fixtures', 'knowledge', 'help');

describe('knowledge in the worker', () => {
  let system: TestSystem | undefined;
  afterEach(async () => {
    await system?.stop();
    system = undefined;
  });

  it('reads KNOWLEDGE_SOURCES at start and shares the snapshot through Redis', async () => {
    system = await startSystem({ env: { KNOWLEDGE_SOURCES: ` ${HELP} ,` } });
    const prefix = system.config.redis.prefix;
    const version = await system.redis.get(`${prefix}:knowledge:version`);
    expect(version).toBeTruthy();
    const meta = JSON.parse(defined(await system.redis.get(`${prefix}:knowledge:snapshot:${version}:meta`))) as Record<
      string,
      unknown
    >;
    expect(meta).toMatchObject({ passageCount: 12, documentCount: 4, embeddings: null });
  });

  it('does nothing about knowledge when KNOWLEDGE_SOURCES is unset', async () => {
    system = await startSystem();
    expect(await system.redis.keys(`${system.config.redis.prefix}:knowledge:*`)).toEqual([]);
  });

  it('reads the settings: refresh every 60 minutes, embeddings off unless a model is named, LLM_* by default', () => {
    expect(loadConfig(testEnv()).knowledge).toBeNull();
    const plain = defined(
      loadConfig(testEnv({ KNOWLEDGE_SOURCES: 'docs/,https://shop.example/sitemap.xml' })).knowledge,
    );
    expect(plain).toMatchObject({
      sources: ['docs/', 'https://shop.example/sitemap.xml'],
      refreshIntervalMs: 60 * 60_000,
      embeddings: null,
    });
    const fused = defined(
      loadConfig(
        testEnv({
          KNOWLEDGE_SOURCES: 'docs/',
          KNOWLEDGE_REFRESH_MINUTES: '15',
          EMBEDDINGS_MODEL: 'text-embedding-3-small',
          LLM_BASE_URL: 'https://api.example/v1',
          LLM_API_KEY: 'llm-key',
        }),
      ).knowledge,
    );
    expect(fused.refreshIntervalMs).toBe(15 * 60_000);
    expect(fused.embeddings).toEqual({
      model: 'text-embedding-3-small',
      baseUrl: 'https://api.example/v1',
      apiKey: 'llm-key',
    });
    const own = defined(
      loadConfig(
        testEnv({
          KNOWLEDGE_SOURCES: 'docs/',
          EMBEDDINGS_MODEL: 'nomic-embed-text',
          EMBEDDINGS_BASE_URL: 'http://127.0.0.1:11434/v1/',
          EMBEDDINGS_API_KEY: 'own-key',
          LLM_API_KEY: 'llm-key',
        }),
      ).knowledge,
    );
    expect(own.embeddings).toEqual({
      model: 'nomic-embed-text',
      baseUrl: 'http://127.0.0.1:11434/v1',
      apiKey: 'own-key',
    });
  });
});
