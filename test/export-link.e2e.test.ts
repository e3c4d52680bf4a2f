import { pageText } from './helpers/payloads';
import { replies, sleep } from './helpers/replies';
import { say } from './helpers/say';
import { startSystem, type TestSystem } from './helpers/system';
import { createSealer } from '../src/crypto/sealing';
import { createExportLinks, EXPORT_LINK_MINUTES } from '../src/privacy/export-link';
import type { PersonExport } from '../src/privacy/person-export';
import { stateKeys } from '../src/redis/keys';
import { defined, firstOf } from './helpers/present';

/**
 * `/export` on Instagram, whose chats cannot carry the file: a short summary the person can read,
 * then either a link they can open once (signed, short-lived, served by `web`; PUBLIC_BASE_URL
 * set) or, without one, the data itself in as few messages as Instagram allows.
 */

const IGSID = '1784140211230555';
const PUBLIC = 'https://bot.example.com';

describe('/export on Instagram', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  /** The link in the reply, pointed at this test's web process. */
  const onThisWeb = (url: string) => url.replace(PUBLIC, system.baseUrl);

  async function exportReply(): Promise<{ text: string; count: number }> {
    await say(system, 'instagram', IGSID, 'my parcel goes to the blue door');
    const before = replies(system.graph, IGSID).length;
    const first = await say(system, 'instagram', IGSID, '/export');
    await sleep(300);
    return { text: first, count: replies(system.graph, IGSID).length - before };
  }

  it('is a readable summary and a link that hands the file over once, and only through its button', async () => {
    system = await startSystem({ env: { PUBLIC_BASE_URL: PUBLIC } });
    const { text, count } = await exportReply();
    expect(count).toBe(1);
    expect(text).toMatch(
      /^What I keep about you:\n• 1 conversation, 2 messages \(Instagram\)\n• Memory off, 0 remembered facts\n• Mode: fast\n/,
    );
    const url = /(https:\/\/bot\.example\.com\/export\/[A-Za-z0-9_-]+)/.exec(text)?.[1];
    expect(url).toBeDefined();
    expect(text).toContain(`The link works once, for ${EXPORT_LINK_MINUTES} minutes.`);
    expect(text).not.toContain(IGSID);

    // A GET (a link preview, a scanner, the person's first tap) shows the button and takes nothing.
    for (let i = 0; i < 2; i += 1) {
      const page = await fetch(onThisWeb(url!));
      expect(page.status).toBe(200);
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
      const html = await page.text();
      expect(html).toContain('<form method="post"><button type="submit">Download</button></form>');
      expect(html).toMatch(/can be downloaded once, until \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(UTC\)/);
    }
    const download = await fetch(onThisWeb(url!), { method: 'POST' });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-disposition')).toMatch(
      /^attachment; filename="export-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    const exported = (await download.json()) as PersonExport;
    expect(exported.accounts).toEqual([{ app: 'instagram', id: IGSID }]);
    expect(firstOf(exported.conversations).messages.map((m) => m.text)).toContain('my parcel goes to the blue door');

    // Once taken, it is gone, and the page says how to get a new one.
    for (const method of ['POST', 'GET']) {
      const again = await fetch(onThisWeb(url!), { method });
      expect(again.status).toBe(404);
      expect(await again.text()).toContain('expired or was already used. Send /export in the chat for a new one.');
    }
  });

  it('refuses a forged or expired link, and /forget all takes an unopened one with everything else', async () => {
    system = await startSystem({ env: { PUBLIC_BASE_URL: PUBLIC } });
    const { text } = await exportReply();
    const url = onThisWeb(defined(/(https:\/\/\S+)/.exec(text)?.[1]));
    const token = url.slice(url.lastIndexOf('/') + 1);
    const forged = `${token.slice(0, 20)}${token[20] === 'A' ? 'B' : 'A'}${token.slice(21)}`;
    expect((await fetch(url.replace(token, forged), { method: 'POST' })).status).toBe(404);

    const links = createExportLinks({
      redis: system.redis,
      keys: stateKeys(system.config.redis.prefix),
      sealer: createSealer({ current: undefined }),
      appSecret: system.config.meta.appSecret,
      publicBaseUrl: system.baseUrl,
      now: () => Date.now() - (EXPORT_LINK_MINUTES + 1) * 60_000,
    });
    const old = await links.create(`instagram:17841400000000000:${IGSID}`, '{"old":true}');
    expect((await fetch(old.url, { method: 'POST' })).status).toBe(404);

    expect(await say(system, 'instagram', IGSID, '/forget all')).toMatch(/cannot be undone/);
    expect(await say(system, 'instagram', IGSID, 'yes')).toMatch(/erased everything/);
    expect((await fetch(url)).status).toBe(404);
  });

  it('without PUBLIC_BASE_URL, sends the summary, then the data in as few messages as Instagram allows', async () => {
    system = await startSystem();
    await say(system, 'instagram', IGSID, 'my parcel goes to the blue door');
    const before = replies(system.graph, IGSID).length;
    await system.deliver('instagram', pageText('instagram', IGSID, '/export'));
    await system.graph.waitFor(() => replies(system.graph, IGSID).some((r) => r.text.includes('"exported_at"')));
    await sleep(500);
    const sent = replies(system.graph, IGSID).slice(before);
    expect(firstOf(sent).text).toMatch(/^What I keep about you:\n/);
    const all = sent.map((r) => r.text).join('');
    const json = all.slice(all.indexOf('{'));
    // Compact JSON, not pretty-printed: every byte of each part carries data.
    expect(json).not.toMatch(/\n {2}/);
    expect(json).toContain(`"accounts":[{"app":"instagram","id":"${IGSID}"}]`);
    const bytes = sent.reduce((sum, r) => sum + Buffer.byteLength(r.text), 0);
    expect(sent.length).toBeLessThanOrEqual(Math.ceil(bytes / 900) + 1);
  });
});
