import { FakeModel, type ChatBody } from './helpers/fake-model';
import { makeImage } from './helpers/media-fixtures';
import { PAGE_ID } from './helpers/payloads';
import { replies } from './helpers/replies';
import { startSystem, type TestSystem } from './helpers/system';

/**
 * What one turn may take in: a caption-less photo followed by a flood of texts is several turns
 * (at most 10 messages and Messenger's 2,000 characters each), every text is answered in order
 * or refused with the burst notice, and each message the photo's turn takes in costs a burst
 * point. Assertions are on what the fake model received and what the fake Graph was asked to send.
 */
const SENDER = '2000190';
const MARKER = /\bt\d{3}\b/g;

/** One Messenger delivery: a photo without a caption, then the texts, a millisecond apart. */
function photoThenTexts(photoUrl: string, texts: string[]) {
  // Clear of whole seconds: the inbox reads a stamp on a whole second as WhatsApp's second-only
  // stamp and orders it by arrival within that second (inboxScore).
  const at = Math.floor(Date.now() / 1000) * 1000 + 1;
  const event = (i: number, message: Record<string, unknown>) => ({
    sender: { id: SENDER },
    recipient: { id: PAGE_ID },
    timestamp: at + i,
    message: { mid: `m_cap_${at}_${i}`, ...message },
  });
  const messaging = [
    event(0, { attachments: [{ type: 'image', payload: { url: photoUrl } }] }),
    ...texts.map((text, i) => event(i + 1, { text })),
  ];
  return { object: 'page', entry: [{ id: PAGE_ID, time: at, messaging }] };
}

const marker = (i: number) => `t${String(i).padStart(3, '0')}`;
/** The model's answer names the markers of the texts it was given, so a reply shows what its turn held. */
const lastUser = (body: ChatBody) => [...(body.messages ?? [])].reverse().find((m) => m.role === 'user');
const seen = (body: ChatBody) =>
  `seen ${(FakeModel.describe(lastUser(body)?.content).match(MARKER) ?? []).join(' ')}`.trim();
const userText = (body: ChatBody) => FakeModel.describe(lastUser(body)?.content).replace(/ \[\+\d+ image\]$/, '');

describe('what one turn may take in', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  async function start(env: Record<string, string>) {
    system = await startSystem({
      env: { MEDIA_ALLOWED_HOSTS: '127.0.0.1', LIMIT_FAST: 'off', LIMIT_USER_DAILY: 'off', ...env },
      model: new FakeModel(seen),
    });
    system.graph.addMedia('cap-photo', await makeImage(64, 64), 'image/jpeg');
  }
  const texts = () => replies(system.graph, SENDER).map((r) => r.text);

  it('answers a photo and 150 texts of 1,900 characters as many turns, none above 2,000 characters, each text once, in order, a burst point each', async () => {
    await start({ LIMIT_BURST: '1000/1h' });
    const flood = Array.from({ length: 150 }, (_, i) => `${marker(i + 1)} ${'x'.repeat(1895)}`);
    const response = await system.deliver('messenger', photoThenTexts(system.graph.cdnUrl('cap-photo'), flood));
    expect(response.status).toBe(200);
    await system.graph.waitFor(() => texts().length >= 150, 120_000);

    const calls = system.model.chatRequests();
    expect(calls).toHaveLength(150);
    for (const call of calls) {
      expect(userText(call).length).toBeLessThanOrEqual(2000);
      expect(userText(call).match(MARKER)?.length ?? 0).toBeLessThanOrEqual(10);
    }
    // The photo went to the model once, with the first text.
    const withPhoto = calls.filter((call) => FakeModel.describe(lastUser(call)?.content).endsWith('[+1 image]'));
    expect(withPhoto.map((call) => seen(call))).toEqual(['seen t001']);
    // Every text reached the model and was answered exactly once, in the order it was sent.
    const all = flood.map((_, i) => marker(i + 1));
    expect(calls.flatMap((call) => seen(call).split(' ').slice(1))).toEqual(all);
    expect(texts().flatMap((text) => text.split(' ').slice(1))).toEqual(all);

    // 151 messages cost 151 burst points (and /limits one more), not one for the whole delivery.
    await system.deliver('messenger', {
      object: 'page',
      entry: [
        {
          id: PAGE_ID,
          time: Date.now(),
          messaging: [
            {
              sender: { id: SENDER },
              recipient: { id: PAGE_ID },
              timestamp: Date.now() + 1000,
              message: { mid: `m_cap_limits_${Date.now()}`, text: '/limits' },
            },
          ],
        },
      ],
    });
    await system.graph.waitFor(() => texts().length >= 151, 20_000);
    expect(texts()[150]).toMatch(/messages in a row: 848 of 1000 per hour left/);
  }, 180_000);

  it('charges a burst point for each message the photo takes in, holds the rest for their own turns, and says so', async () => {
    await start({ LIMIT_BURST: '3/1m' });
    const short = [1, 2, 3, 4, 5].map((i) => `${marker(i)} what about this?`);
    await system.deliver('messenger', photoThenTexts(system.graph.cdnUrl('cap-photo'), short));
    await system.graph.waitFor(() => texts().length >= 2, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));

    // The photo and two texts are three burst points: the third text is not taken in but held.
    expect(system.model.chatRequests().map((call) => seen(call))).toEqual(['seen t001 t002']);
    expect(texts()).toEqual([
      'seen t001 t002',
      expect.stringMatching(/^You're writing faster than I answer \(up to 3 per minute\), so I'm holding/),
    ]);
  });
});
