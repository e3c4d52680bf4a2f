import { loadConfig } from '../config';
import { createGraphClient } from '../src/platforms/graph-client';
import { sendMessengerFile } from '../src/platforms/messenger/file-attachment';
import { sendWhatsAppDocument } from '../src/platforms/whatsapp/document';
import { createPlatformRegistry } from '../src/platforms/registry';
import { isValidSignature } from '../src/platforms/signature';
import { sandboxIds, sandboxPlatforms } from '../sandbox/emulator/ids';
import { metaJson } from '../sandbox/emulator/webhook-delivery';
import { deliveryBody, whatsAppMessageValue, pageMessageEvent } from '../sandbox/emulator/payloads';
import { makePng, startTestSandbox, waitUntil } from './sandbox/start-test-sandbox';
import { defined, firstOf } from './helpers/present';

/**
 * The sandbox's Meta emulator against Threadline itself: its webhooks must pass the product's own
 * signature check and parsing and get answered through the normal pipeline, and its Graph API must
 * behave as Meta documents (tokens, ids, limits, media lookup and expiring download URLs).
 */
describe('sandbox Meta emulator with the real product', () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;

  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  afterAll(async () => {
    await sandbox?.cleanup();
  });

  test('all three webhook handshakes succeed against the product', async () => {
    for (const platform of sandboxPlatforms) {
      await expect(sandbox.emulator.verifyWebhook(platform)).resolves.toEqual({ ok: true, status: 200 });
    }
  });

  test.each(sandboxPlatforms)(
    'a text on %s is verified, parsed, answered once, and the answer shows what the pipeline got',
    async (platform) => {
      const text = `Grüße aus ${platform} 👋 ${Date.now()}`;
      const sent = sandbox.emulator.send(platform, { kind: 'text', text });
      const reply = await waitUntil(
        () => sandbox.emulator.log.botItems(platform).find((item) => item.text?.includes(`“${text}”`)),
        `a ${platform} reply`,
      );
      expect(reply.text).toContain('Offline demo responder (not an AI model)');
      // The user's message was delivered (web answered 200 to the signed POST).
      await waitUntil(
        () => sandbox.emulator.log.snapshot().items.find((i) => i.id === sent.id && i.status !== 'sending'),
        'delivery',
      );
      const item = sandbox.emulator.log.snapshot().items.find((i) => i.id === sent.id);
      expect(['delivered', 'read']).toContain(item?.status);
      // Status, echo, delivery and read webhooks follow the reply; none of them is answered.
      await new Promise((resolve) => setTimeout(resolve, 600));
      await sandbox.emulator.drain();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(sandbox.emulator.log.botItems(platform).filter((i) => i.text?.includes(`“${text}”`))).toHaveLength(1);
      const posts = sandbox.emulator.log
        .snapshot()
        .log.filter((l) => l.type === 'log' && l.platform === platform && l.summary.startsWith('POST'));
      expect(posts.length).toBeGreaterThanOrEqual(2);
      expect(posts.every((l) => l.type === 'log' && l.summary.endsWith('→ 200'))).toBe(true);
    },
  );

  test('the emulator signs the exact (escaped) bytes: the product accepts them, and rejects a wrong signature', async () => {
    const body = metaJson(
      deliveryBody(
        'whatsapp',
        [
          {
            platform: 'whatsapp',
            value: whatsAppMessageValue('wamid.SIG1', { type: 'text', text: { body: 'äöå ✓' } }, Date.now()),
          },
        ],
        Date.now(),
      ),
    );
    expect(body).toContain('\\u00e4\\u00f6\\u00e5');
    expect(/^\p{ASCII}*$/u.test(body)).toBe(true);
    const secret = sandbox.emulator.secretFor('whatsapp');
    const delivery = (
      sandbox.emulator as unknown as {
        delivery: { post(p: string, raw: string, sig?: string | null): Promise<number> };
      }
    ).delivery;
    const { signBody } = await import('../src/platforms/signature');
    expect(
      isValidSignature(Buffer.from(body), signBody(body, secret), defined(sandbox.productEnv.META_APP_SECRET)),
    ).toBe(true);
    await expect(delivery.post('whatsapp', body, signBody(body, 'not-the-app-secret'))).resolves.toBe(401);
    await expect(delivery.post('whatsapp', body, null)).resolves.toBe(401);
  });

  test('media messages parse in the product as documented references (WhatsApp media id, Page CDN URL)', () => {
    const adapters = createPlatformRegistry(loadConfig(sandbox.productEnv));
    const png = makePng(8, 8, [200, 30, 30]);
    const image = sandbox.emulator.media.put(png, 'image/png');
    const voice = sandbox.emulator.media.put(Buffer.from('OggS fake'), 'audio/ogg; codecs=opus');
    const now = Date.now();
    const wa = deliveryBody(
      'whatsapp',
      [
        {
          platform: 'whatsapp',
          value: whatsAppMessageValue(
            'wamid.IMG',
            {
              type: 'image',
              image: { caption: 'what is this', mime_type: image.mimeType, sha256: image.sha256, id: image.id },
            },
            now,
          ),
        },
        {
          platform: 'whatsapp',
          value: whatsAppMessageValue(
            'wamid.VOICE',
            { type: 'audio', audio: { mime_type: voice.mimeType, sha256: voice.sha256, id: voice.id, voice: true } },
            now,
          ),
        },
      ],
      now,
    );
    const parsed = defined(adapters.get('whatsapp')).parseWebhook(JSON.parse(metaJson(wa)));
    expect(parsed).toHaveLength(2);
    expect(parsed[0]).toMatchObject({
      platform: 'whatsapp',
      channelId: sandboxIds.whatsapp.phoneNumberId,
      userId: sandboxIds.whatsapp.userWaId,
    });
    expect(firstOf(parsed).attachments[0]).toMatchObject({ kind: 'image', mediaId: image.id });
    expect(defined(parsed[1]).attachments[0]).toMatchObject({ kind: 'audio', mediaId: voice.id, voice: true });

    const ig = deliveryBody(
      'instagram',
      [
        {
          platform: 'instagram',
          event: pageMessageEvent(
            'instagram',
            {
              mid: 'm_IMG',
              attachments: [{ type: 'image', payload: { url: `${sandbox.emulator.url}/cdn/attachments/?mid=1` } }],
            },
            now,
          ),
        },
      ],
      now,
    );
    const igParsed = defined(adapters.get('instagram')).parseWebhook(JSON.parse(metaJson(ig)));
    expect(igParsed[0]).toMatchObject({
      platform: 'instagram',
      channelId: sandboxIds.instagram.igId,
      userId: sandboxIds.instagram.igsid,
    });
    expect(firstOf(igParsed).attachments[0]).toMatchObject({
      kind: 'image',
      url: expect.stringContaining('/cdn/attachments/') as unknown,
    });
  });

  test('Graph media lookup and download behave as Meta documents: bearer token, expiring signed URL', async () => {
    const png = makePng(16, 9, [10, 120, 200]);
    const media = sandbox.emulator.media.put(png, 'image/png');
    const auth = { authorization: `Bearer ${sandbox.productEnv.WHATSAPP_ACCESS_TOKEN}` };
    const lookup = await fetch(`${sandbox.emulator.url}/v25.0/${media.id}`, { headers: auth });
    expect(lookup.status).toBe(200);
    const info = (await lookup.json()) as Record<string, unknown>;
    expect(info).toMatchObject({
      messaging_product: 'whatsapp',
      mime_type: 'image/png',
      sha256: media.sha256,
      file_size: png.length,
      id: media.id,
    });
    const url = String(info.url);
    expect(new URL(url).pathname).toBe('/whatsapp_business/attachments/');

    const download = await fetch(url, { headers: auth });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await download.arrayBuffer()).equals(png)).toBe(true);

    expect((await fetch(url)).status).toBe(401); // "If you omit your token, the request will fail."
    const tampered = new URL(url);
    tampered.searchParams.set('ext', String(Date.now() - 1000));
    expect((await fetch(tampered, { headers: auth })).status).toBe(404);
    const wrongToken = await fetch(`${sandbox.emulator.url}/v25.0/${media.id}`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(wrongToken.status).toBe(401);
    expect(((await wrongToken.json()) as { error: { code: number } }).error.code).toBe(190);
  });

  test('Send API checks what Meta checks: text limits, recipients, sender actions', async () => {
    const post = (path: string, token: string, body: unknown) =>
      fetch(`${sandbox.emulator.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
    const page = defined(sandbox.productEnv.MESSENGER_PAGE_ACCESS_TOKEN);
    const ig = defined(sandbox.productEnv.INSTAGRAM_ACCESS_TOKEN);
    const psid = sandboxIds.messenger.psid;
    expect(
      (await post('/v25.0/me/messages', page, { recipient: { id: psid }, message: { text: 'x'.repeat(2001) } })).status,
    ).toBe(400);
    expect(
      (
        await post('/v25.0/me/messages', ig, {
          recipient: { id: sandboxIds.instagram.igsid },
          message: { text: 'é'.repeat(501) },
        })
      ).status,
    ).toBe(400);
    expect(
      (await post('/v25.0/me/messages', page, { recipient: { id: 'someone-else' }, message: { text: 'hi' } })).status,
    ).toBe(400);
    const typing = await post('/v25.0/me/messages', page, { recipient: { id: psid }, sender_action: 'typing_on' });
    expect(await typing.json()).toEqual({ recipient_id: psid });
    const quick = await post('/v25.0/me/messages', page, {
      recipient: { id: psid },
      messaging_type: 'RESPONSE',
      message: { text: 'Pick one', quick_replies: [{ content_type: 'text', title: 'Red', payload: 'RED' }] },
    });
    expect(quick.status).toBe(200);
    expect(sandbox.emulator.log.botItems('messenger').at(-1)).toMatchObject({
      text: 'Pick one',
      quickReplies: [{ title: 'Red', payload: 'RED' }],
    });
    const read = await post(
      `/v25.0/${sandboxIds.whatsapp.phoneNumberId}/messages`,
      defined(sandbox.productEnv.WHATSAPP_ACCESS_TOKEN),
      {
        messaging_product: 'whatsapp',
        status: 'read',
        message_id: 'wamid.unknown',
        typing_indicator: { type: 'text' },
      },
    );
    expect(await read.json()).toEqual({ success: true });
  });

  test('the page server serves /sandbox and proxies the product routes', async () => {
    const base = `http://127.0.0.1:${sandbox.port}`;
    const page = await fetch(`${base}/sandbox/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Threadline');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const unsigned = await fetch(`${base}/webhooks/messenger`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(unsigned.status).toBe(401);
    const state = (await (await fetch(`${base}/sandbox/api/state`)).json()) as { model: { kind: string } };
    expect(state.model.kind).toBe('demo');
  });
  test('files go out as Meta documents them: a WhatsApp upload then a document, a Messenger filedata attachment', async () => {
    const env = sandbox.productEnv;
    const graph = (token: string) =>
      createGraphClient({ baseUrl: sandbox.emulator.url, version: 'v25.0', accessToken: token, timeoutMs: 5000 });
    const file = { filename: 'export-2026-01-02.json', mimeType: 'application/json', bytes: Buffer.from('{"a":1}') };
    const wa = { channelId: sandboxIds.whatsapp.phoneNumberId, userId: sandboxIds.whatsapp.userWaId };
    const sentWa = await sendWhatsAppDocument(graph(defined(env.WHATSAPP_ACCESS_TOKEN)), wa, {
      ...file,
      caption: 'Yours',
    });
    const doc = defined(sandbox.emulator.log.botItems('whatsapp').find((i) => i.id === sentWa.messageId));
    expect(doc).toMatchObject({
      kind: 'file',
      filename: 'export-2026-01-02.json',
      mimeType: 'text/plain',
      text: 'Yours',
    });
    expect(sandbox.emulator.media.get(defined(doc.mediaId))?.bytes.toString()).toBe('{"a":1}');

    const ms = { channelId: sandboxIds.messenger.pageId, userId: sandboxIds.messenger.psid };
    const sentMs = await sendMessengerFile(graph(defined(env.MESSENGER_PAGE_ACCESS_TOKEN)), ms, file);
    const attachment = defined(sandbox.emulator.log.botItems('messenger').find((i) => i.id === sentMs.messageId));
    expect(attachment).toMatchObject({
      kind: 'file',
      filename: 'export-2026-01-02.json',
      mimeType: 'application/json',
    });

    // The page saves it under its name.
    const saved = await fetch(`http://127.0.0.1:${sandbox.port}/sandbox/api/media/${attachment.mediaId}`);
    expect(saved.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''export-2026-01-02.json");
    expect(await saved.text()).toBe('{"a":1}');
  });

  test('uploads are checked as Meta checks them: type, token, the uploaded id, no filedata on Instagram', async () => {
    const env = sandbox.productEnv;
    const upload = (token: string, type: string) => {
      const form = new FormData();
      form.append('messaging_product', 'whatsapp');
      form.append('type', type);
      form.append('file', new Blob([Buffer.from('x')], { type }), 'x.bin');
      return fetch(`${sandbox.emulator.url}/v25.0/${sandboxIds.whatsapp.phoneNumberId}/media`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: form,
      });
    };
    const refused = await upload(defined(env.WHATSAPP_ACCESS_TOKEN), 'application/json');
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { code: number } }).error.code).toBe(131053);
    expect((await upload('wrong', 'text/plain')).status).toBe(401);
    const ok = (await (await upload(defined(env.WHATSAPP_ACCESS_TOKEN), 'text/plain')).json()) as { id: string };
    expect(ok.id).toMatch(/^\d{15,}$/);

    const send = (id: string) =>
      fetch(`${sandbox.emulator.url}/v25.0/${sandboxIds.whatsapp.phoneNumberId}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${defined(env.WHATSAPP_ACCESS_TOKEN)}` },
        body: JSON.stringify({
          messaging_product: 'whatsapp',
          to: sandboxIds.whatsapp.userWaId,
          type: 'document',
          document: { id },
        }),
      });
    expect((await send(ok.id)).status).toBe(200);
    expect((await send('999999999999999')).status).toBe(400);

    const form = new FormData();
    form.append('recipient', JSON.stringify({ id: sandboxIds.instagram.igsid }));
    form.append('message', JSON.stringify({ attachment: { type: 'file', payload: {} } }));
    form.append('filedata', new Blob([Buffer.from('x')], { type: 'application/pdf' }), 'x.pdf');
    const instagram = await fetch(`${sandbox.emulator.url}/v25.0/me/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${defined(env.INSTAGRAM_ACCESS_TOKEN)}` },
      body: form,
    });
    expect(instagram.status).toBe(400);
  });
});
