import type { SkippedElement } from '../src/platforms/adapter';
import { createGraphClient, GraphPathError } from '../src/platforms/graph-client';
import { parsePageMessagingWebhook } from '../src/platforms/pages/page-messaging';
import { createWhatsAppAdapter } from '../src/platforms/whatsapp';
import { createWhatsAppMediaFetcher } from '../src/platforms/whatsapp/media';
import { parseWhatsAppWebhook } from '../src/platforms/whatsapp/webhook';
import { MediaError } from '../src/media/errors';
import { FakeGraph } from './helpers/fake-graph';
import { PAGE_ID, pageAttachment, pageText, whatsAppDelivery, whatsAppMedia, whatsAppText } from './helpers/payloads';
import { startSystem, type TestSystem } from './helpers/system';
import { firstOf } from './helpers/present';

/**
 * One malformed part of a delivery costs only itself, and ids that could move a Graph path never
 * reach one. End to end through the signed webhook route; assertions are on what the user
 * receives (the Send API calls the fake Graph records).
 */

const CANT_OPEN = /^Sorry, I can't open /;
const MEDIA_ENV = { MEDIA_ALLOWED_HOSTS: '127.0.0.1' };

function messengerMessage(sender: string, message: Record<string, unknown>, timestamp: unknown = Date.now()) {
  return {
    object: 'page',
    entry: [
      {
        id: PAGE_ID,
        time: Date.now(),
        messaging: [{ sender: { id: sender }, recipient: { id: PAGE_ID }, timestamp, message }],
      },
    ],
  };
}

let mid = 0;
const nextMid = () => `m_PARTS_${Date.now()}_${(mid += 1)}`;

describe('malformed parts of a delivery, end to end', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem({ env: MEDIA_ENV });
  });
  afterAll(async () => system.stop());

  const answersTo = async (user: string, count = 1) => {
    await system.graph.waitFor(() => system.graph.sentTexts().filter((s) => s.to === user).length >= count, 20_000);
    return system.graph.sentTexts().filter((s) => s.to === user);
  };

  it('answers the text of a Messenger message whose attachment lacks a type, saying the part was left out', async () => {
    const user = '3100001';
    const res = await system.deliver(
      'messenger',
      messengerMessage(user, { mid: nextMid(), text: 'what is this?', attachments: [{}] }),
    );
    expect(res.status).toBe(200);
    const answer = firstOf(await answersTo(user));
    expect(answer.text).toBe(
      "echo: what is this? (history: 0)\n\n(Part of your message was something I can't open: that kind of message. I answered the rest.)",
    );
  });

  it('names a part it cannot open sent beside text as left out, and answers the text', async () => {
    const user = '3100009';
    const part = { type: 'hologram', payload: { url: 'https://cdn.example.com/s.holo' } };
    await system.deliver('messenger', messengerMessage(user, { mid: nextMid(), text: 'look', attachments: [part] }));
    const answer = firstOf(await answersTo(user));
    expect(answer.text).toBe(
      "echo: look (history: 0)\n\n(Part of your message was something I can't open: that kind of message. I answered the rest.)",
    );
  });

  it('answers "can\'t open" to a Messenger message whose only attachment is unreadable', async () => {
    const user = '3100002';
    await system.deliver('messenger', messengerMessage(user, { mid: nextMid(), attachments: [{}] }));
    const answer = firstOf(await answersTo(user));
    expect(answer.text).toMatch(CANT_OPEN);
  });

  it('answers "can\'t open" to an attachment type nobody knows yet', async () => {
    const user = '3100003';
    await system.deliver('instagram', pageAttachment('instagram', user, 'hologram', 'https://cdn.example.com/x'));
    const answer = firstOf(await answersTo(user));
    expect(answer.text).toMatch(CANT_OPEN);
  });

  it('answers a Messenger message whose timestamp is not a number, stamped on arrival', async () => {
    const user = '3100004';
    await system.deliver('messenger', messengerMessage(user, { mid: nextMid(), text: 'late?' }, 'yesterday'));
    const answer = firstOf(await answersTo(user));
    expect(answer.text).toBe('echo: late? (history: 0)');
  });

  it('answers a WhatsApp message whose timestamp is an object', async () => {
    const user = '16505557001';
    const delivery = whatsAppText(user, 'odd stamp');
    (firstOf(firstOf(delivery.entry).changes).value.messages[0] as Record<string, unknown>).timestamp = { seconds: 1 };
    await system.deliver('whatsapp', delivery);
    const answer = firstOf(await answersTo(user));
    expect(answer.text).toBe('echo: odd stamp (history: 0)');
  });

  it('answers a WhatsApp sender given only in contacts[].user_id', async () => {
    const bsuid = 'US.40000000000000000001';
    const delivery = whatsAppDelivery(
      [{ id: `wamid.ONLYCONTACT${Date.now()}`, timestamp: '1749416383', type: 'text', text: { body: 'hello' } }],
      [{ profile: { name: 'Username User' }, user_id: bsuid }],
    );
    await system.deliver('whatsapp', delivery);
    const answer = firstOf(await answersTo(bsuid));
    expect(answer.text).toBe('echo: hello (history: 0)');
  });

  it('answers the readable message of a delivery that also carries a malformed one', async () => {
    const user = '16505557002';
    const delivery = whatsAppDelivery(
      [
        { from: user, id: 42, type: 'text', text: { body: 'broken' } },
        { from: user, id: `wamid.GOOD${Date.now()}`, timestamp: '1749416383', type: 'text', text: { body: 'fine' } },
      ],
      [{ wa_id: user }],
    );
    expect((await system.deliver('whatsapp', delivery)).status).toBe(200);
    const answer = firstOf(await answersTo(user));
    expect(answer.text).toBe('echo: fine (history: 0)');
  });

  it('never looks up a WhatsApp media id of ".." (GET /) and answers "can\'t open"', async () => {
    const user = '16505557003';
    await system.deliver('whatsapp', whatsAppMedia(user, 'image', { id: '..', mimeType: 'image/jpeg' }));
    const answer = firstOf(await answersTo(user));
    expect(answer.text).toMatch(CANT_OPEN);
    const gets = system.graph.requests.filter((r) => r.method === 'GET');
    expect(gets.map((r) => r.path)).not.toContain('/');
    expect(gets.filter((r) => !r.path.startsWith('/v'))).toHaveLength(0);
  });

  it('sends nothing for a phone_number_id of ".." (it would move the Send path)', async () => {
    const user = '16505557004';
    const delivery = whatsAppText(user, 'where does this go?');
    firstOf(firstOf(delivery.entry).changes).value.metadata.phone_number_id = '..';
    const before = system.graph.requests.length;
    expect((await system.deliver('whatsapp', delivery)).status).toBe(200);
    // A control message on the same system shows the workers ran meanwhile.
    await system.deliver('whatsapp', whatsAppText('16505557005', 'control'));
    await answersTo('16505557005');
    const after = system.graph.requests.slice(before);
    expect(after.filter((r) => JSON.stringify(r.body ?? {}).includes(user))).toHaveLength(0);
    expect(after.filter((r) => r.path === '/messages' || r.path === '/')).toHaveLength(0);
  });
});

describe('skipped parts are reported with a reason and never their content', () => {
  const collect = () => {
    const skipped: SkippedElement[] = [];
    return { skipped, report: (s: SkippedElement) => skipped.push(s) };
  };

  it('reports an attachment lacking a type, a bad timestamp and a bad sender id', () => {
    const { skipped, report } = collect();
    const body = {
      object: 'page',
      entry: [
        {
          id: PAGE_ID,
          messaging: [
            {
              sender: { id: '3100010' },
              recipient: { id: PAGE_ID },
              timestamp: 'secret-stamp',
              message: { mid: 'm_1', text: 'SECRET TEXT', attachments: [{ payload: { url: 'https://secret' } }] },
            },
            {
              sender: { id: '../SECRET' },
              recipient: { id: PAGE_ID },
              timestamp: 1,
              message: { mid: 'm_2', text: 'x' },
            },
          ],
        },
      ],
    };
    const messages = parsePageMessagingWebhook(body, 'messenger', 'page', report);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ text: 'SECRET TEXT', attachments: [] });
    expect(skipped.map((s) => s.element).sort()).toEqual([
      'entry[0].messaging[0].message.attachments[0]',
      'entry[0].messaging[0].timestamp',
      'entry[0].messaging[1].sender.id',
    ]);
    expect(JSON.stringify(skipped)).not.toMatch(/SECRET|secret/);
  });

  it('reports a WhatsApp message it cannot read and a media id of the wrong shape', () => {
    const { skipped, report } = collect();
    const delivery = whatsAppDelivery([
      { from: '1555', id: '', type: 'text', text: { body: 'SECRET' } },
      { from: '1555', id: 'wamid.M', timestamp: '1', type: 'image', image: { id: '../SECRET' } },
    ]);
    const messages = parseWhatsAppWebhook(delivery, report);
    expect(messages).toEqual([expect.objectContaining({ unsupported: 'image', attachments: [] })]);
    expect(skipped.map((s) => s.element)).toEqual([
      'entry[0].changes[0].value.messages[0]',
      'entry[0].changes[0].value.messages[1].image.id',
    ]);
    expect(JSON.stringify(skipped)).not.toMatch(/SECRET/);
  });

  it("refuses ids that are not of Meta's documented shapes", () => {
    const { report } = collect();
    const ids = ['..', '.', '1/2', '12 3', '', 'abc', '%2e%2e'];
    for (const id of ids) {
      expect(parsePageMessagingWebhook(pageText('page', id, 'x'), 'messenger', 'page', report)).toEqual([]);
      expect(parseWhatsAppWebhook(whatsAppText(id, 'x'), report)).toEqual([]);
    }
    for (const bsuid of ['US.', '.123', 'US..123', 'US.12/3', `US.${'1'.repeat(300)}`]) {
      const delivery = whatsAppDelivery([
        { from: '', from_user_id: bsuid, id: 'wamid.X', type: 'text', text: { body: 'x' } },
      ]);
      expect(parseWhatsAppWebhook(delivery, report)).toEqual([]);
    }
  });
});

describe('ids are refused where they are put into Graph paths', () => {
  let graph: FakeGraph;
  beforeAll(async () => {
    graph = await new FakeGraph().start();
  });
  afterAll(async () => graph.stop());

  const client = () =>
    createGraphClient({ baseUrl: graph.url, version: 'v25.0', accessToken: 'wa-token', timeoutMs: 2000 });

  it('the WhatsApp media lookup refuses "..", "." and slashes without a request', async () => {
    const fetchMedia = createWhatsAppMediaFetcher({
      graph: client(),
      accessToken: 'wa-token',
      download: () => Promise.reject(new Error('must not download')),
    });
    for (const mediaId of ['..', '.', 'a/b', '../..']) {
      await expect(fetchMedia({ kind: 'image', mediaId }, 1000)).rejects.toBeInstanceOf(MediaError);
    }
    expect(graph.requests).toHaveLength(0);
  });

  it('the Graph client refuses a path with a dot segment, however spelled', async () => {
    for (const path of ['/..', '/.', '/%2e%2e', '/x/../me/messages', '/%2E']) {
      await expect(client().get(path)).rejects.toBeInstanceOf(GraphPathError);
    }
    expect(graph.requests).toHaveLength(0);
  });

  it('a WhatsApp send to a channel id of ".." is refused before any request', async () => {
    const adapter = createWhatsAppAdapter({
      appSecret: 's',
      graph: client(),
      media: { accessToken: 'wa-token', download: () => Promise.reject(new Error('must not download')) },
    });
    await expect(adapter.sendText({ channelId: '..', userId: '1555' }, 'hi')).rejects.toBeInstanceOf(GraphPathError);
    expect(graph.requests).toHaveLength(0);
  });
});
