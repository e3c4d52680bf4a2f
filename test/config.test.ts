import { ConfigError, loadConfig, parseEnv } from '../config';

const required = { META_APP_SECRET: 's', META_VERIFY_TOKEN: 'v' };

describe('configuration', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(required);
    expect(config.port).toBe(3000);
    expect(config.redis).toEqual({ url: 'redis://127.0.0.1:6379', prefix: 'threadline', cluster: null });
    expect(config.meta.graphApiUrl).toBe('https://graph.facebook.com');
    expect(config.meta.graphApiVersion).toBe('v25.0');
    expect(config.meta.instagramGraphApiUrl).toBe('https://graph.instagram.com');
    expect(config.meta.instagramAppSecret).toBe('s');
    expect(config.stt.model).toBe('whisper-1');
    expect(config.mediaAllowedHosts).toContain('*.fbcdn.net');
  });

  it('treats an unset NODE_ENV as production and keeps the worker metrics on loopback', () => {
    expect(parseEnv(required).NODE_ENV).toBe('production');
    expect(parseEnv({ ...required, NODE_ENV: ' ' }).NODE_ENV).toBe('production');
    expect(loadConfig(required).metrics).toEqual({ port: 9464, host: '127.0.0.1', token: undefined });
    expect(loadConfig({ ...required, METRICS_HOST: '0.0.0.0' }).metrics.host).toBe('0.0.0.0');
  });

  it('turns a channel on only when its token is set; blank counts as unset', () => {
    const config = loadConfig({ ...required, WHATSAPP_ACCESS_TOKEN: 'wa', MESSENGER_PAGE_ACCESS_TOKEN: '  ' });
    expect(config.channels.whatsapp).toEqual({ accessToken: 'wa' });
    expect(config.channels.messenger).toBeNull();
    expect(config.channels.instagram).toBeNull();
  });

  it('falls back from speech-to-text to the model API settings', () => {
    const config = loadConfig({ ...required, LLM_BASE_URL: 'http://127.0.0.1:11434/v1/', LLM_API_KEY: 'k' });
    expect(config.llm.baseUrl).toBe('http://127.0.0.1:11434/v1');
    expect(config.stt).toMatchObject({ baseUrl: 'http://127.0.0.1:11434/v1', apiKey: 'k', model: 'whisper-1' });
  });

  it('answers in auto mode unless DEFAULT_MODE says otherwise; the router and contemplating are settings', () => {
    expect(loadConfig(required).modes.auto).toEqual({
      defaultChoice: 'auto',
      routerModel: undefined,
      routerTimeoutMs: 800,
    });
    const set = loadConfig({
      ...required,
      DEFAULT_MODE: 'fast',
      LLM_MODEL_ROUTER: 'tiny',
      LLM_TIMEOUT_MS_ROUTER: '500',
    });
    expect(set.modes.auto).toEqual({ defaultChoice: 'fast', routerModel: 'tiny', routerTimeoutMs: 500 });
    expect(loadConfig(required).modes.contemplating).toMatchObject({ drafts: 3, maxTokens: 2048 });
    const deep = loadConfig({ ...required, CONTEMPLATE_DRAFTS: '5', LLM_MAX_TOKENS_CONTEMPLATING: '900' });
    expect(deep.modes.contemplating).toMatchObject({ drafts: 5, maxTokens: 900 });
    expect(() => loadConfig({ ...required, DEFAULT_MODE: 'shopping' })).toThrow(/DEFAULT_MODE/);
    expect(() => loadConfig({ ...required, CONTEMPLATE_DRAFTS: '9' })).toThrow(/CONTEMPLATE_DRAFTS/);
  });

  it('names every missing or malformed variable', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', GRAPH_API_VERSION: '25', LLM_BASE_URL: 'not a url' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    for (const name of ['META_APP_SECRET', 'META_VERIFY_TOKEN', 'PORT', 'GRAPH_API_VERSION', 'LLM_BASE_URL']) {
      expect(message).toContain(name);
    }
  });
});
