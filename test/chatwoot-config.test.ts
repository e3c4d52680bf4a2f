import { ConfigError, loadConfig } from '../config';
import { testEnv } from './helpers/system';

/** CHATWOOT_*: off unless the base URL is set; then every other variable is required, by name. */
describe('Chatwoot configuration', () => {
  const chatwoot = {
    CHATWOOT_BASE_URL: 'https://chat.example.com/',
    CHATWOOT_API_TOKEN: 'token',
    CHATWOOT_ACCOUNT_ID: '7',
    CHATWOOT_INBOX_ID: '3',
    CHATWOOT_WEBHOOK_TOKEN: '0123456789abcdef',
  };

  it('is off without CHATWOOT_BASE_URL', () => {
    expect(loadConfig(testEnv()).chatwoot).toBeNull();
  });

  it('reads the instance, token, account, inbox and webhook token', () => {
    expect(loadConfig(testEnv(chatwoot)).chatwoot).toEqual({
      baseUrl: 'https://chat.example.com',
      apiToken: 'token',
      accountId: '7',
      inboxId: '3',
      webhookToken: '0123456789abcdef',
      linkTtlSeconds: 30 * 24 * 3600,
      timeoutMs: 10_000,
    });
  });

  it('names every variable missing beside the base URL', () => {
    const attempt = () => loadConfig(testEnv({ CHATWOOT_BASE_URL: 'https://chat.example.com' }));
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(
      /CHATWOOT_API_TOKEN.*\n.*CHATWOOT_ACCOUNT_ID.*\n.*CHATWOOT_INBOX_ID.*\n.*CHATWOOT_WEBHOOK_TOKEN/,
    );
  });

  it('refuses an inbox id that is not a number and a short webhook token', () => {
    expect(() => loadConfig(testEnv({ ...chatwoot, CHATWOOT_INBOX_ID: 'inbox-3' }))).toThrow(/CHATWOOT_INBOX_ID/);
    expect(() => loadConfig(testEnv({ ...chatwoot, CHATWOOT_WEBHOOK_TOKEN: 'short' }))).toThrow(
      /CHATWOOT_WEBHOOK_TOKEN/,
    );
  });

  it('refuses HANDOFF_TARGET=chatwoot without the Chatwoot settings, naming each missing one', () => {
    const attempt = (more: Record<string, string>) => () =>
      loadConfig(testEnv({ HANDOFF_TARGET: 'meta-inbox, chatwoot', ...more }));
    expect(attempt({})).toThrow(ConfigError);
    expect(attempt({})).toThrow(
      /CHATWOOT_BASE_URL, CHATWOOT_API_TOKEN, CHATWOOT_ACCOUNT_ID, CHATWOOT_INBOX_ID, CHATWOOT_WEBHOOK_TOKEN: required with HANDOFF_TARGET=chatwoot/,
    );
    const { CHATWOOT_BASE_URL: _url, ...withoutUrl } = chatwoot;
    expect(attempt(withoutUrl)).toThrow(/^\s*- CHATWOOT_BASE_URL: required with HANDOFF_TARGET=chatwoot$/m);
    expect(loadConfig(testEnv({ HANDOFF_TARGET: 'chatwoot', ...chatwoot })).handoff.targets).toEqual(['chatwoot']);
  });

  it("takes HANDOFF_TARGET=meta-inbox with nothing more: it uses the Messenger and Instagram channels' tokens", () => {
    expect(loadConfig(testEnv({ HANDOFF_TARGET: 'meta-inbox' })).handoff.targets).toEqual(['meta-inbox']);
  });
});
