import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../config';
import { applyMetaProfiles } from '../tools/meta-profile';
import { FakeGraph } from './helpers/fake-graph';
import { FakeHttpServer, type RecordedRequest } from './helpers/http-fake';
import { testEnv } from './helpers/system';
import { defined, firstOf } from './helpers/present';

/** Graph's Messenger Profile API: `POST /{version}/{me|id}/messenger_profile` → `{ result: 'success' }`. */
class FakeProfileGraph extends FakeHttpServer {
  constructor() {
    super((request) =>
      request.method === 'POST' && /^\/v[\d.]+\/[^/]+\/messenger_profile$/.test(request.path)
        ? { status: 200, body: { result: 'success' } }
        : { status: 404, body: { error: { message: 'Unknown path', code: 803 } } },
    );
  }

  profileCalls(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/messenger_profile'));
  }
}

/**
 * `npm run meta:profile` against loopback fakes of graph.facebook.com (Messenger, Page token) and
 * graph.instagram.com (Instagram, Instagram token), checking the calls Meta documents.
 */
describe('npm run meta:profile', () => {
  const facebook = new FakeProfileGraph();
  const instagram = new FakeProfileGraph();
  beforeAll(async () => {
    await Promise.all([facebook.start(), instagram.start()]);
  });
  afterAll(async () => {
    await Promise.all([facebook.stop(), instagram.stop()]);
  });
  beforeEach(() => {
    facebook.requests.length = 0;
    instagram.requests.length = 0;
  });

  const env = (overrides: Record<string, string | undefined> = {}) =>
    testEnv({
      GRAPH_API_URL: facebook.url,
      INSTAGRAM_GRAPH_API_URL: instagram.url,
      BUSINESS_NAME: 'Acme Shoes',
      ...overrides,
    });

  it('sets the Messenger Get Started button, a greeting naming the business and the menu, and Instagram ice breakers', async () => {
    const printed: string[] = [];
    await applyMetaProfiles(loadConfig(env()), (line) => printed.push(line));

    const messenger = firstOf(facebook.profileCalls());
    expect(facebook.profileCalls()).toHaveLength(1);
    expect(messenger.path).toBe('/v25.0/me/messenger_profile');
    expect(messenger.headers.authorization).toBe('Bearer page-token');
    const profile = messenger.body as {
      get_started: { payload: string };
      greeting: Array<{ locale: string; text: string }>;
      persistent_menu: Array<{
        locale: string;
        call_to_actions: Array<{ type: string; title: string; payload: string }>;
      }>;
    };
    expect(profile.get_started.payload).toBe('/start');
    // DEFAULT_LANGUAGE for `default`, then each shipped language under the locales Meta names it by.
    const locales = [
      'default',
      'es_LA',
      'es_ES',
      'pt_BR',
      'pt_PT',
      'fr_FR',
      'de_DE',
      'it_IT',
      'id_ID',
      'hi_IN',
      'ar_AR',
    ];
    expect(profile.greeting.map((g) => g.locale)).toEqual(locales);
    expect(firstOf(profile.greeting).text).toContain("Acme Shoes's AI assistant");
    expect(defined(profile.greeting.find((g) => g.locale === 'es_LA')).text).toMatch(
      /^¡Hola, \{\{user_first_name\}\}!/,
    );
    for (const greeting of profile.greeting) {
      expect(greeting.text).toContain('Acme Shoes');
      expect(greeting.text.length).toBeLessThanOrEqual(160);
    }
    expect(profile.persistent_menu.map((m) => m.locale)).toEqual(locales);
    expect(defined(profile.persistent_menu.find((m) => m.locale === 'de_DE')?.call_to_actions[4]).title).toBe('Hilfe');
    for (const menu of profile.persistent_menu) {
      expect(menu.call_to_actions.map((b) => b.payload)).toEqual([
        '/fast',
        '/think',
        '/contemplate',
        '/privacy',
        '/help',
      ]);
      for (const button of menu.call_to_actions) {
        expect(button.type).toBe('postback');
        expect(button.title.length).toBeLessThanOrEqual(20);
      }
    }

    const iceBreakers = firstOf(instagram.profileCalls());
    expect(instagram.profileCalls()).toHaveLength(1);
    expect(iceBreakers.path).toBe('/v25.0/me/messenger_profile');
    expect(iceBreakers.headers.authorization).toBe('Bearer ig-token');
    const body = iceBreakers.body as {
      platform: string;
      ice_breakers: Array<{ locale: string; call_to_actions: Array<{ question: string; payload: string }> }>;
    };
    expect(body.platform).toBe('instagram');
    expect(body.ice_breakers.map((entry) => entry.locale)).toEqual(locales);
    expect(
      firstOf(defined(body.ice_breakers.find((entry) => entry.locale === 'fr_FR')?.call_to_actions)).question,
    ).toMatch(/^Que /);
    const questions = firstOf(body.ice_breakers).call_to_actions;
    expect(questions.length).toBeGreaterThan(0);
    expect(questions.length).toBeLessThanOrEqual(4);
    expect(questions.map((q) => q.payload)).toContain('/privacy');
    expect(printed).toEqual([
      'Messenger: Get Started button, greeting and persistent menu set.',
      'Instagram: ice breakers set.',
    ]);
  });

  it('skips a channel whose token is unset and fails clearly when Graph refuses', async () => {
    await applyMetaProfiles(loadConfig(env({ INSTAGRAM_ACCESS_TOKEN: undefined })), () => undefined);
    expect(facebook.profileCalls()).toHaveLength(1);
    expect(instagram.profileCalls()).toHaveLength(0);

    facebook.script(FakeGraph.graphError(190, 401));
    await expect(applyMetaProfiles(loadConfig(env()), () => undefined)).rejects.toThrow('scripted failure');
  });

  it('runs as a command and exits 0 after setting both profiles', async () => {
    const root = path.resolve(__dirname, '..');
    const { stdout } = await promisify(execFile)(
      path.join(root, 'node_modules', '.bin', 'tsx'),
      [path.join(root, 'tools', 'meta-profile.ts')],
      { cwd: root, env: { PATH: process.env.PATH, ...env() }, timeout: 20_000 },
    );
    expect(stdout).toContain('Instagram: ice breakers set.');
    expect(facebook.profileCalls()).toHaveLength(1);
    expect(instagram.profileCalls()).toHaveLength(1);
  });
});
