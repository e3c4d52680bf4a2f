import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { sniffMedia } from '../src/media/sniff';
import { FakeModel, type ChatBody } from './helpers/fake-model';
import { jpegSize, makeAudio, makeImage, pngBomb } from './helpers/media-fixtures';
import { pageAttachment, whatsAppDelivery, whatsAppMedia, whatsAppText } from './helpers/payloads';
import { dumpPrefix } from './helpers/redis-dump';
import { productMessages, replies } from './helpers/replies';
import { say } from './helpers/say';
import { startSystem, type TestSystem } from './helpers/system';
import { defined, firstOf } from './helpers/present';

/**
 * Photos end to end: what the model receives (an image_url part with a data: URL next to the
 * caption), a photo and its question answered as one turn, what the model said a photo shows kept
 * for the turns after it (and searched for in shopping), and the friendly texts when a photo
 * cannot be read. Assertions are on what the fake model and the fake Graph API receive.
 */
const MEDIA_ENV = { MEDIA_ALLOWED_HOSTS: '127.0.0.1' };
const FEED = join(__dirname, '..', 'sandbox', 'catalog', 'demo-feed.csv');

type Part = { type: string; text?: string; image_url?: { url: string } };

function imageParts(content: unknown): Part[] {
  return Array.isArray(content) ? (content as Part[]).filter((p) => p.type === 'image_url') : [];
}

function decodeDataUrl(url: string): Buffer {
  const match = /^data:image\/jpeg;base64,(.+)$/.exec(url);
  if (!match) throw new Error(`not a JPEG data URL: ${url.slice(0, 40)}`);
  return Buffer.from(defined(match[1]), 'base64');
}

describe('photos', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  it('shows a captioned WhatsApp photo to the model as an image part with the caption as text', async () => {
    system = await startSystem({ env: MEDIA_ENV });
    system.graph.addMedia('7000001', await makeImage(3000, 2000), 'image/jpeg');
    await system.deliver(
      'whatsapp',
      whatsAppMedia('16505551234', 'image', {
        id: '7000001',
        mimeType: 'image/jpeg',
        caption: 'What plant is this?',
      }),
    );
    await system.graph.waitFor(() => system.graph.sentTexts().length === 1, 20_000);
    expect(firstOf(system.graph.sentTexts()).text).toBe('echo: What plant is this? [+1 image] (history: 0)');

    const user = defined(firstOf(system.model.chatRequests()).messages?.at(-1));
    expect(user.role).toBe('user');
    const content = user.content as Part[];
    expect(content[0]).toEqual({ type: 'text', text: 'What plant is this?' });
    const image = firstOf(imageParts(content));
    const jpeg = decodeDataUrl(defined(image.image_url).url);
    expect(sniffMedia(jpeg)).toEqual({ kind: 'image', format: 'jpeg' });
    expect(jpegSize(jpeg)).toEqual({ width: 1568, height: 1045 });

    // History keeps a placeholder and the caption, never the image bytes.
    await system.deliver('whatsapp', whatsAppText('16505551234', 'thanks'));
    await system.graph.waitFor(() => system.graph.sentTexts().length === 2);
    expect(defined(system.model.chatRequests()[1]?.messages)[1]).toEqual({
      role: 'user',
      content: '[photo]\nWhat plant is this?',
    });
  });

  it('keeps what the model said a photo shows, sealed, so the next message can refer to it', async () => {
    const shows = (body: ChatBody) => imageParts(body.messages?.at(-1)?.content).length > 0;
    const model = new FakeModel((body) =>
      shows(body) ? 'Those are ankle boots.\n[photo: red leather ankle boots with a block heel]' : FakeModel.echo(body),
    );
    system = await startSystem({
      env: { ...MEDIA_ENV, DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64') },
      model,
    });
    const user = '16505556666';
    system.graph.addMedia('7000006', await makeImage(800, 600), 'image/jpeg');
    await system.deliver(
      'whatsapp',
      whatsAppMedia(user, 'image', { id: '7000006', mimeType: 'image/jpeg', caption: 'What are these?' }),
    );
    await system.graph.waitFor(() => replies(system.graph, user).length === 1, 20_000);
    expect(firstOf(replies(system.graph, user)).text).toBe('Those are ankle boots.');
    const photoTurn = firstOf(system.model.chatRequests());
    expect(String(firstOf(defined(photoTurn.messages)).content)).toContain(
      'End your answer with one line exactly like [photo:',
    );

    expect(await say(system, 'whatsapp', user, 'What colour would suit it?')).toBe(
      'echo: What colour would suit it? (history: 2)',
    );
    const followUp = defined(system.model.chatRequests()[1]);
    expect(defined(followUp.messages)[1]).toEqual({
      role: 'user',
      content: '[photo: red leather ankle boots with a block heel]\nWhat are these?',
    });
    expect(defined(followUp.messages)[2]).toEqual({ role: 'assistant', content: 'Those are ankle boots.' });
    expect(JSON.stringify(followUp)).not.toContain('data:image');
    expect(String(firstOf(defined(followUp.messages)).content)).not.toContain('[photo:');
    // kept only in the sealed history: nowhere in Redis in plain text
    const stored = (await dumpPrefix(system.redis, system.config.redis.prefix)).flatMap((entry) => entry.values);
    expect(stored.some((value) => value.includes('block heel'))).toBe(false);
  });

  it('searches for the photo the person sent before when they ask for "something like this"', async () => {
    const model = new FakeModel(FakeModel.echo, {
      tools: (body) =>
        imageParts(body.messages?.at(-1)?.content).length > 0
          ? { text: 'Those are loafers.\n[photo: brown leather loafers]' }
          : FakeModel.shopper(() => ({ query: 'something like this' }), 2)(body),
    });
    system = await startSystem({ env: { ...MEDIA_ENV, CATALOG_FEED: FEED }, model });
    const user = '16505557777';
    await say(system, 'whatsapp', user, '/shop');
    system.graph.addMedia('7000007', await makeImage(800, 600), 'image/jpeg');
    await system.deliver(
      'whatsapp',
      whatsAppMedia(user, 'image', { id: '7000007', mimeType: 'image/jpeg', caption: 'what are these?' }),
    );
    await system.graph.waitFor(() => replies(system.graph, user).length === 2, 20_000);
    expect(defined(replies(system.graph, user)[1]).text).toBe('Those are loafers.');

    const answer = await say(system, 'whatsapp', user, 'something like this');
    expect(answer).toMatch(/^You could like .*loafers/i);
    await system.graph.waitFor(() => productMessages(system.graph, user).length >= 2);
    for (const card of productMessages(system.graph, user)) {
      expect(card.body.interactive?.body?.text).toMatch(/loafers/i);
    }
    const search = firstOf(system.model.chatRequests().slice(-2));
    expect(search.messages).toContainEqual({
      role: 'user',
      content: '[photo: brown leather loafers]\nwhat are these?',
    });
    expect(await say(system, 'whatsapp', user, '/why')).toContain(
      'It searched the catalog for: "brown leather loafers".',
    );
  });

  it('answers a photo and the question sent right after it as one turn, once', async () => {
    system = await startSystem({ env: MEDIA_ENV });
    system.graph.addMedia('7000002', await makeImage(800, 600), 'image/jpeg');
    await system.deliver('whatsapp', whatsAppMedia('16505552222', 'image', { id: '7000002', mimeType: 'image/jpeg' }));
    await new Promise((resolve) => setTimeout(resolve, 800));
    await system.deliver('whatsapp', whatsAppText('16505552222', 'is this ripe?'));
    await system.graph.waitFor(() => system.graph.sentTexts().length >= 1, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(system.graph.sentTexts().map((s) => s.text)).toEqual(['echo: is this ripe? [+1 image] (history: 0)']);
    expect(system.model.chatRequests()).toHaveLength(1);
  });

  it('merges a question and the photo queued right behind it (text first), without waiting on plain text', async () => {
    system = await startSystem({ env: MEDIA_ENV });
    system.graph.addMedia('7000003', await makeImage(640, 480), 'image/jpeg');
    const now = Math.floor(Date.now() / 1000);
    const photo = whatsAppMedia('16505553333', 'image', { id: '7000003', mimeType: 'image/jpeg' }, { timestamp: now });
    const text = whatsAppText('16505553333', 'what breed is my dog?', { timestamp: now - 1 });
    const photoMessage = (firstOf(firstOf(photo.entry).changes).value as { messages: unknown[] }).messages[0];
    const textMessage = (firstOf(firstOf(text.entry).changes).value as { messages: unknown[] }).messages[0];
    await system.deliver('whatsapp', whatsAppDelivery([textMessage, photoMessage]));
    await system.graph.waitFor(() => system.graph.sentTexts().length >= 1, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(system.graph.sentTexts().map((s) => s.text)).toEqual([
      'echo: what breed is my dog? [+1 image] (history: 0)',
    ]);
  });

  it('answers a Messenger photo attachment', async () => {
    system = await startSystem({ env: MEDIA_ENV });
    system.graph.addMedia('fb-photo', await makeImage(500, 500, 'png'), 'image/png');
    await system.deliver(
      'messenger',
      pageAttachment('page', '2000002', 'image', system.graph.cdnUrl('fb-photo'), { text: 'nice?' }),
    );
    await system.graph.waitFor(() => system.graph.sentTexts().length === 1, 20_000);
    expect(firstOf(system.graph.sentTexts()).text).toBe('echo: nice? [+1 image] (history: 0)');
  });

  it('shows the model every photo of a message with several (Instagram)', async () => {
    system = await startSystem({ env: MEDIA_ENV });
    system.graph.addMedia('ig-photo-a', await makeImage(600, 400), 'image/jpeg');
    system.graph.addMedia('ig-photo-b', await makeImage(400, 600, 'png'), 'image/png');
    const delivery = pageAttachment('instagram', '3000003', 'image', system.graph.cdnUrl('ig-photo-a'), {
      text: 'which one?',
    });
    const message = firstOf(firstOf(delivery.entry).messaging).message as { attachments: unknown[] };
    message.attachments.push({ type: 'image', payload: { url: system.graph.cdnUrl('ig-photo-b') } });
    await system.deliver('instagram', delivery);
    await system.graph.waitFor(() => system.graph.sentTexts().length === 1, 20_000);
    expect(firstOf(system.graph.sentTexts()).text).toBe('echo: which one? [+2 image] (history: 0)');
    const parts = imageParts(defined(firstOf(system.model.chatRequests()).messages?.at(-1)).content);
    expect(parts.map((p) => jpegSize(decodeDataUrl(defined(p.image_url).url)))).toEqual([
      { width: 600, height: 400 },
      { width: 400, height: 600 },
    ]);
  });

  it('says a photo is too big when it passes MEDIA_MAX_IMAGE_BYTES', async () => {
    system = await startSystem({ env: { ...MEDIA_ENV, MEDIA_MAX_IMAGE_BYTES: String(200 * 1024) } });
    const big = await makeImage(4000, 3000, 'jpeg', 2);
    expect(big.length).toBeGreaterThan(200 * 1024);
    system.graph.addMedia('7000004', big, 'image/jpeg');
    await system.deliver(
      'whatsapp',
      whatsAppMedia('16505554444', 'image', { id: '7000004', mimeType: 'image/jpeg', caption: 'look' }),
    );
    await system.graph.waitFor(() => system.graph.sentTexts().length === 1, 20_000);
    expect(firstOf(system.graph.sentTexts()).text).toBe(
      'That photo is too big for me (up to 200 KB). Could you send a smaller one?',
    );
    expect(system.model.chatRequests()).toHaveLength(0);
  });

  it('never fetches from a host outside MEDIA_ALLOWED_HOSTS', async () => {
    system = await startSystem({ env: MEDIA_ENV });
    system.graph.addMedia('evil', await makeImage(100, 100), 'image/jpeg');
    const disallowed = system.graph.cdnUrl('evil').replace('127.0.0.1', 'localhost');
    await system.deliver(
      'instagram',
      pageAttachment('instagram', '3000002', 'image', disallowed, { text: 'see this' }),
    );
    await system.graph.waitFor(() => system.graph.sentTexts().length === 1, 20_000);
    expect(firstOf(system.graph.sentTexts()).text).toBe(
      "Sorry, I couldn't download that photo. Could you send it again?",
    );
    expect(system.graph.mediaDownloads()).toHaveLength(0);
    expect(system.model.chatRequests()).toHaveLength(0);
  });

  it('says a file is not a photo when the bytes are audio, whatever the MIME type claims', async () => {
    system = await startSystem({ env: MEDIA_ENV });
    system.graph.addMedia('7000005', (await makeAudio('mp3', 1)).bytes, 'image/jpeg');
    await system.deliver('whatsapp', whatsAppMedia('16505555555', 'image', { id: '7000005', mimeType: 'image/jpeg' }));
    await system.graph.waitFor(() => system.graph.sentTexts().length === 1, 20_000);
    expect(firstOf(system.graph.sentTexts()).text).toMatch(
      /can't open that image file\. I can read text, voice notes, photos, videos and documents/,
    );
  });

  it('refuses a decompression bomb (a small PNG declaring 16000×16000) by its header, before ffmpeg runs', async () => {
    system = await startSystem({ env: MEDIA_ENV });
    const bomb = await pngBomb(16_000, 16_000);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    system.graph.addMedia('7000901', bomb, 'image/png');
    await system.deliver(
      'whatsapp',
      whatsAppMedia('16505557100', 'image', { id: '7000901', mimeType: 'image/png', caption: 'what is it?' }),
    );
    await system.graph.waitFor(() => system.graph.sentTexts().length === 1, 20_000);
    expect(firstOf(system.graph.sentTexts()).text).toBe(
      "That photo's dimensions are too large for me to open. Could you send a smaller version or a screenshot?",
    );
    expect(system.graph.mediaDownloads()).toHaveLength(1);
    expect(system.model.chatRequests()).toHaveLength(0);
  });

  it('refuses a message with more photos than MEDIA_MAX_ATTACHMENTS, downloading none of them', async () => {
    system = await startSystem({ env: { ...MEDIA_ENV, MEDIA_MAX_ATTACHMENTS: '3' } });
    const photo = await makeImage(64, 64);
    const delivery = pageAttachment('page', '2000077', 'image', system.graph.cdnUrl('many-0'), {
      text: 'all of these',
    });
    const message = firstOf(firstOf(delivery.entry).messaging).message as { attachments: unknown[] };
    system.graph.addMedia('many-0', photo, 'image/jpeg');
    for (let i = 1; i < 8; i += 1) {
      system.graph.addMedia(`many-${i}`, photo, 'image/jpeg');
      message.attachments.push({ type: 'image', payload: { url: system.graph.cdnUrl(`many-${i}`) } });
    }
    await system.deliver('messenger', delivery);
    await system.graph.waitFor(() => system.graph.sentTexts().length === 1, 20_000);
    expect(firstOf(system.graph.sentTexts()).text).toBe(
      "That's more photos and voice notes than I can take in at once. Could you send them a few at a time?",
    );
    expect(system.model.chatRequests()).toHaveLength(0);
    expect(system.graph.mediaDownloads()).toHaveLength(0);
  });
});
