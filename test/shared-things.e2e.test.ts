import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../sandbox/redis';
import { ffmpegBinary } from '../src/media/ffmpeg';
import type { PersonExport } from '../src/privacy/person-export';
import type { ChatBody } from './helpers/fake-model';
import { parsePrometheusText, sampleValue } from './helpers/prometheus-text';
import { dumpPrefix } from './helpers/redis-dump';
import { replies, sentIdOf, sleep } from './helpers/replies';
import { say } from './helpers/say';
import { pageMessage, pageReaction, whatsAppOf } from './helpers/sent-payloads';
import { startSystem, type TestSystem } from './helpers/system';

/**
 * Locations, stickers, reactions and contact cards end to end: what reaches the model (a place
 * as a line of text, a sticker as an image with a request for a brief reply), what the person
 * receives (nothing for a reaction, which is kept with the answer, counted, told by /why and
 * exported; a plain "not used" for contact cards, of which nothing is kept).
 */
const ENV = { MEDIA_ALLOWED_HOSTS: '127.0.0.1' };
const run = promisify(execFile);

async function webp(animated: boolean): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'threadline-sticker-'));
  try {
    const out = join(dir, 'sticker.webp');
    const source = `testsrc=d=1:s=160x160:r=${animated ? 5 : 1},format=rgba`;
    const frames = animated ? ['-loop', '0'] : ['-frames:v', '1'];
    await run(ffmpegBinary(), [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      source,
      ...frames,
      '-c:v',
      'libwebp',
      out,
    ]);
    return await readFile(out);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

type Part = { type: string; text?: string };
const userContent = (body: ChatBody) => body.messages?.at(-1)?.content;
const textOf = (body: ChatBody) => {
  const content = userContent(body);
  return typeof content === 'string' ? content : ((content as Part[]).find((p) => p.type === 'text')?.text ?? '');
};
const images = (body: ChatBody) => {
  const content = userContent(body);
  return Array.isArray(content) ? (content as Part[]).filter((p) => p.type === 'image_url').length : 0;
};

describe('locations, stickers, reactions and contact cards', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  it('gives the model a WhatsApp location and a Messenger one as name, address and coordinates', async () => {
    system = await startSystem({ env: ENV });
    const location = {
      latitude: 37.7793,
      longitude: -122.4193,
      name: 'City Hall',
      address: '1 Dr Carlton B Goodlett Pl',
    };
    await system.deliver('whatsapp', whatsAppOf('16505550201', 'location', location));
    await system.graph.waitFor(() => replies(system.graph, '16505550201').length === 1);
    const line =
      '[location shared: name "City Hall"; address "1 Dr Carlton B Goodlett Pl"; coordinates 37.779300, -122.419300]';
    expect(textOf(system.model.chatRequests()[0]!)).toBe(line);
    expect(replies(system.graph, '16505550201')[0]!.text).toBe(`echo: ${line} (history: 0)`);

    const attachment = {
      type: 'location',
      title: 'Pier 39',
      url: 'https://www.bing.com/maps?pier39',
      payload: { coordinates: { lat: 37.8087, long: -122.4098 } },
    };
    await system.deliver('messenger', pageMessage('page', '2000201', [attachment], { text: 'Any store near here?' }));
    await system.graph.waitFor(() => replies(system.graph, '2000201').length === 1);
    expect(textOf(system.model.chatRequests()[1]!)).toBe(
      '[location shared: name "Pier 39"; coordinates 37.808700, -122.409800; https://www.bing.com/maps?pier39]\nAny store near here?',
    );
  });

  it('looks at stickers (a still and an animated WhatsApp one, Messenger and Instagram ones) and asks for a brief reply', async () => {
    system = await startSystem({ env: ENV });
    system.graph.addMedia('9000001', await webp(false), 'image/webp');
    system.graph.addMedia('9000002', await webp(true), 'image/webp');
    await system.deliver('whatsapp', whatsAppOf('16505550202', 'sticker', { id: '9000001', mime_type: 'image/webp' }));
    await system.graph.waitFor(() => replies(system.graph, '16505550202').length === 1, 20_000);
    await say(system, 'whatsapp', '16505550202', 'hi');
    await system.deliver(
      'whatsapp',
      whatsAppOf('16505550202', 'sticker', { id: '9000002', mime_type: 'image/webp', animated: true }),
    );
    await system.graph.waitFor(() => replies(system.graph, '16505550202').length === 3, 20_000);
    for (const object of ['page', 'instagram'] as const) {
      const user = object === 'page' ? '2000202' : '3000202';
      system.graph.addMedia(`st-${object}`, await webp(false), 'image/webp');
      const sticker = {
        type: 'image',
        payload: { url: system.graph.cdnUrl(`st-${object}`), sticker_id: 369239263222822 },
      };
      await system.deliver(object === 'page' ? 'messenger' : 'instagram', pageMessage(object, user, [sticker]));
      await system.graph.waitFor(() => replies(system.graph, user).length === 1, 20_000);
    }
    const stickerTurns = system.model.chatRequests().filter((body) => images(body) === 1);
    expect(stickerTurns).toHaveLength(4);
    for (const body of stickerTurns) expect(textOf(body)).toMatch(/^\(a sticker, no words: reply briefly/);
  });

  it('keeps a reaction with the answer it is about: no reply, counted by mode and model, in /why and /export; taken back on Messenger', async () => {
    system = await startSystem({ env: { ...ENV, METRICS_PORT: String(await freePort()) } });
    const user = '16505550203';
    await say(system, 'whatsapp', user, 'what is a good tea?');
    const answered = replies(system.graph, user).length;
    const answer = sentIdOf(replies(system.graph, user).at(-1)!);
    await system.deliver('whatsapp', whatsAppOf(user, 'reaction', { message_id: answer, emoji: '👍🏽' }));
    await sleep(1500);
    expect(replies(system.graph, user)).toHaveLength(answered);
    expect(await say(system, 'whatsapp', user, '/why')).toContain('You reacted to this answer with 👍🏽.');
    const url = `http://127.0.0.1:${system.workers!.metricsPort}/metrics`;
    const metrics = parsePrometheusText(await (await fetch(url)).text());
    expect(
      sampleValue(metrics, 'threadline_answer_reactions_total', {
        platform: 'whatsapp',
        reaction: 'positive',
        mode: 'fast',
      }),
    ).toBe(1);
    await say(system, 'whatsapp', user, '/export');
    const exported = JSON.parse(system.graph.sentFiles()[0]!.bytes.toString('utf8')) as PersonExport;
    const messages = exported.conversations[0]!.messages as Array<{ text: string; your_reaction?: string }>;
    expect(messages.find((m) => m.text.startsWith('echo: what is a good tea?'))!.your_reaction).toBe('👍🏽');

    const psid = '2000203';
    await say(system, 'messenger', psid, 'and coffee?');
    const before = replies(system.graph, psid).length;
    const coffee = sentIdOf(replies(system.graph, psid).at(-1)!);
    await system.deliver('messenger', pageReaction('page', psid, coffee, '👎'));
    await sleep(1000);
    expect(await say(system, 'messenger', psid, '/why')).toContain('You reacted to this answer with 👎.');
    await system.deliver('messenger', pageReaction('page', psid, coffee, '', 'unreact'));
    await sleep(1000);
    expect(await say(system, 'messenger', psid, '/why')).not.toContain('You reacted');
    expect(replies(system.graph, psid)).toHaveLength(before + 2);

    await say(system, 'instagram', '3000203', 'hello');
    const hello = sentIdOf(replies(system.graph, '3000203').at(-1)!);
    await system.deliver('instagram', pageReaction('instagram', '3000203', hello, '❤️'));
    await sleep(1000);
    const after = parsePrometheusText(await (await fetch(url)).text());
    expect(
      sampleValue(after, 'threadline_answer_reactions_total', { platform: 'instagram', reaction: 'positive' }),
    ).toBe(1);
    expect(
      sampleValue(after, 'threadline_answer_reactions_total', { platform: 'messenger', reaction: 'removed' }),
    ).toBe(1);
  });

  it('answers contact cards with "not used" and keeps nothing of them, without asking the model', async () => {
    system = await startSystem({ env: ENV });
    const user = '16505550204';
    const card = {
      name: { formatted_name: 'Zelda Quarrington', first_name: 'Zelda' },
      phones: [{ phone: '+1 555 867 5309' }],
    };
    await system.deliver('whatsapp', whatsAppOf(user, 'contacts', [card]));
    await system.graph.waitFor(() => replies(system.graph, user).length === 1);
    expect(replies(system.graph, user)[0]!.text).toBe(
      "Thanks, but I don't use contact cards: they carry other people's details, so I haven't kept anything from it. If you need something about that contact, tell me in words.",
    );
    expect(system.model.chatRequests()).toHaveLength(0);
    const stored = (await dumpPrefix(system.redis, system.config.redis.prefix)).flatMap((entry) => entry.values);
    expect(stored.some((value) => value.includes('Zelda') || value.includes('867'))).toBe(false);
  });
});
