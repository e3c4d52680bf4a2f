import { pageText } from './helpers/payloads';
import { replies } from './helpers/replies';
import { codeIn, say } from './helpers/say';
import { startSystem, type TestSystem } from './helpers/system';
import type { PersonExport } from '../src/privacy/person-export';
import { defined, firstOf } from './helpers/present';

/**
 * `/export` as the person receives it: on WhatsApp a `document` (uploaded to /{phone-number-id}/media
 * first), on Messenger a file attachment sent as form data, on Instagram the JSON as messages.
 * Each holds everything kept about the person on every linked app.
 */

const WA = '16505550422';
const PSID = '7384920156300099';
const IGSID = '1784140211230111';

describe('/export', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  it('sends WhatsApp a JSON document of everything kept, uploaded first', async () => {
    system = await startSystem();
    await say(system, 'whatsapp', WA, '/think');
    await say(system, 'whatsapp', WA, 'my order number is 55821');
    expect(await say(system, 'whatsapp', WA, '/export')).toMatch(/^I sent you export-\d{4}-\d{2}-\d{2}\.json/);
    const file = firstOf(system.graph.sentFiles());
    expect(file.to).toBe(WA);
    const upload = firstOf([...system.graph.uploads.values()]);
    expect(upload.fields.type).toBe('text/plain');
    expect(defined(upload.files.file).fileName).toBe(file.filename);
    const exported = JSON.parse(file.bytes.toString('utf8')) as PersonExport;
    expect(exported.accounts).toEqual([{ app: 'whatsapp', id: WA }]);
    expect(exported.mode).toBe('thinking');
    expect(firstOf(exported.conversations).messages.map((m) => m.text)).toEqual([
      'my order number is 55821',
      'echo: my order number is 55821 (history: 0)',
    ]);
    // The file came before the reply that says it was sent.
    expect(system.graph.requests.indexOf(file.request)).toBeLessThan(defined(replies(system.graph, WA).at(-1)).index);
  });

  it('sends Messenger a file attachment, and Instagram (no files in DMs) the JSON as messages, each with every linked app', async () => {
    system = await startSystem();
    await say(system, 'messenger', PSID, 'deliver to the back door');
    const code = codeIn(await say(system, 'messenger', PSID, '/link'));
    await say(system, 'instagram', IGSID, `/link ${code}`);
    await say(system, 'instagram', IGSID, 'gift wrap it please');

    expect(await say(system, 'messenger', PSID, '/export')).toMatch(/^I sent you export-/);
    const file = firstOf(system.graph.sentFiles());
    expect(file.to).toBe(PSID);
    expect(file.filename).toMatch(/\.json$/);
    const exported = JSON.parse(file.bytes.toString('utf8')) as PersonExport;
    expect(exported.accounts.map((a) => a.app).sort()).toEqual(['instagram', 'messenger']);
    const texts = exported.conversations.flatMap((c) => c.messages.map((m) => m.text));
    expect(texts).toEqual(expect.arrayContaining(['deliver to the back door', 'gift wrap it please']));

    const before = replies(system.graph, IGSID).length;
    await system.deliver('instagram', pageText('instagram', IGSID, '/export'));
    await system.graph.waitFor(() => replies(system.graph, IGSID).some((r) => r.text.includes('as JSON')));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const sent = replies(system.graph, IGSID).slice(before);
    expect(sent.length).toBeGreaterThan(1);
    const all = sent.map((r) => r.text).join('\n');
    expect(all).toContain('deliver to the back door');
    expect(all).toContain('gift wrap it please');
    for (const part of sent) expect(Buffer.byteLength(part.text)).toBeLessThanOrEqual(1000);
    expect(system.graph.sentFiles()).toHaveLength(1);
  });
});
