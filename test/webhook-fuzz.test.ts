import { loadConfig } from '../config';
import { inboundMessageSchema, type Platform } from '../src/core/inbound';
import { WebhookPayloadError } from '../src/platforms/adapter';
import { createPlatformRegistry } from '../src/platforms/registry';
import { signBody } from '../src/platforms/signature';
import { damageBytes, mutateTree, seededRandom, type Json } from './helpers/mangle';
import { pageText, whatsAppDelivery, whatsAppText } from './helpers/payloads';
import { TEST_APP_SECRET, startSystem, testEnv, type TestSystem } from './helpers/system';
import { defined, firstOf } from './helpers/present';

/**
 * Thousands of mangled, correctly signed deliveries for each platform. Whatever Meta (or someone
 * holding the secret) sends, the webhook answers 200 or 400 — never a crash, never a 5xx that
 * would make Meta redeliver the same poison forever — and what the parser lets through is always
 * a valid InboundMessage (a worker never receives a job it must reject).
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261124);

function seeds(platform: Platform): Json[] {
  if (platform === 'whatsapp') {
    return [
      whatsAppText('16505551234', 'hello') as Json,
      whatsAppDelivery(
        [
          {
            from: '1',
            id: 'wamid.I',
            timestamp: '1749416383',
            type: 'image',
            image: { id: '9', mime_type: 'image/jpeg', caption: 'look' },
          },
          {
            from: '2',
            id: 'wamid.A',
            timestamp: '1749416383',
            type: 'audio',
            audio: { id: '8', mime_type: 'audio/ogg; codecs=opus', voice: true },
          },
          {
            from: '3',
            id: 'wamid.B',
            timestamp: '1749416383',
            type: 'interactive',
            interactive: { type: 'button_reply', button_reply: { id: 'yes', title: 'Yes' } },
          },
        ],
        [{ profile: { name: 'A' }, wa_id: '1' }],
      ) as Json,
      {
        object: 'whatsapp_business_account',
        entry: [
          {
            id: '1',
            changes: [
              {
                field: 'messages',
                value: {
                  messaging_product: 'whatsapp',
                  metadata: { phone_number_id: '1' },
                  statuses: [{ id: 'wamid.S', status: 'read', timestamp: '1', recipient_id: '1' }],
                },
              },
            ],
          },
        ],
      },
    ];
  }
  const object = platform === 'messenger' ? 'page' : 'instagram';
  const base = pageText(object, '2000001', 'hello') as { entry: Array<{ messaging: Json[] }> };
  const rich = structuredClone(base);
  firstOf(rich.entry).messaging.push(
    {
      sender: { id: '5' },
      recipient: { id: '6' },
      timestamp: 1,
      message: {
        mid: 'm_att',
        attachments: [
          { type: 'image', payload: { url: 'https://x/y.jpg' } },
          { type: 'audio', payload: { url: 'https://x/a.mp4' } },
        ],
      },
    },
    {
      sender: { id: '6' },
      recipient: { id: '5' },
      timestamp: 2,
      message: { mid: 'm_echo', is_echo: true, text: 'me' },
    },
    { sender: { id: '5' }, recipient: { id: '6' }, timestamp: 3, postback: { title: 'Start', payload: 'GET_STARTED' } },
  );
  return [base, rich];
}

function mangledBody(platform: Platform, random: () => number): Buffer {
  const all = seeds(platform);
  let tree: Json = all[Math.floor(random() * all.length)] ?? null;
  const rounds = 1 + Math.floor(random() * 4);
  for (let i = 0; i < rounds; i += 1) tree = mutateTree(tree, random);
  const body = Buffer.from(JSON.stringify(tree), 'utf8');
  return random() < 0.1 ? damageBytes(body, random) : body;
}

const PLATFORMS: Platform[] = ['whatsapp', 'messenger', 'instagram'];

describe('webhook parser under mangled input', () => {
  it.each(PLATFORMS)(
    '%s: 5000 mangled bodies parse to valid messages or a WebhookPayloadError, nothing else',
    (platform) => {
      const adapter = defined(createPlatformRegistry(loadConfig(testEnv())).get(platform));
      const random = seededRandom(SEED + platform.length);
      let accepted = 0;
      for (let i = 0; i < 5000; i += 1) {
        const body = mangledBody(platform, random);
        let json: unknown;
        try {
          json = JSON.parse(body.toString('utf8'));
        } catch {
          continue; // the route answers 400 before the parser
        }
        try {
          for (const message of adapter.parseWebhook(json)) {
            const check = inboundMessageSchema.safeParse(message);
            if (!check.success)
              throw new Error(`invalid message from ${body.toString('utf8').slice(0, 400)}: ${check.error.message}`);
            accepted += 1;
          }
        } catch (error) {
          if (!(error instanceof WebhookPayloadError)) throw error;
        }
      }
      expect(accepted).toBeGreaterThan(100);
    },
  );

  describe('over HTTP, signed like Meta signs', () => {
    let system: TestSystem;
    beforeAll(async () => {
      system = await startSystem({ workers: false });
    });
    afterAll(async () => system?.stop());

    it.each(PLATFORMS)(
      '%s: 1000 mangled deliveries get only 200 or 400',
      async (platform) => {
        const random = seededRandom(SEED * 7 + platform.length);
        const statuses = new Map<number, number>();
        const bodies = Array.from({ length: 1000 }, () => mangledBody(platform, random));
        for (let i = 0; i < bodies.length; i += 20) {
          const responses = await Promise.all(
            bodies.slice(i, i + 20).map((body) =>
              fetch(`${system.baseUrl}/webhooks/${platform}`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(body, TEST_APP_SECRET) },
                body,
              }),
            ),
          );
          for (const res of responses) {
            statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
            await res.arrayBuffer();
          }
        }
        expect([...statuses.keys()].sort()).toEqual([200, 400]);
        expect(statuses.get(200)).toBeGreaterThan(100);
        expect(statuses.get(400)).toBeGreaterThan(10);
      },
      60_000,
    );
  });
});
