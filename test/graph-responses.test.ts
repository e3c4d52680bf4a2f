import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphClient } from '../src/platforms/graph-client';
import {
  graphErrorEnvelope,
  messengerLocaleResponse,
  messengerProfileResponse,
  pageMessageId,
  whatsAppMediaUrlResponse,
  whatsAppMessageId,
  whatsAppUploadResponse,
} from '../src/platforms/graph-responses';
import { sendPageMessage } from '../src/platforms/pages/page-send';
import { sendWhatsAppDocument } from '../src/platforms/whatsapp/document';
import { messengerUserLocale } from '../src/platforms/messenger/user-locale';
import { createMessengerAdapter } from '../src/platforms/messenger';
import { createInstagramAdapter } from '../src/platforms/instagram';

/**
 * Graph's answers, as Meta documents them (test/fixtures/graph/README.md says where each comes
 * from), read by one schema per shape; an answer that does not match is read as one without the
 * field the caller needs.
 */
const answers = JSON.parse(readFileSync(join(__dirname, 'fixtures/graph/responses.json'), 'utf8')) as Record<
  string,
  unknown
>;

/** Anything but the documented shape: nothing, an HTML error page, the wrong types, empty lists. */
const MALFORMED: unknown[] = [undefined, null, '', '<html>502</html>', 42, [], {}, { message_id: 7 }, { messages: [] }];

const graphAnswering = (answer: unknown): GraphClient => ({
  post: () => Promise.resolve(answer),
  postForm: () => Promise.resolve(answer),
  get: () => Promise.resolve(answer),
});

describe('Graph answers', () => {
  it('reads the id of a Messenger or Instagram send', () => {
    expect(pageMessageId(answers.pageSend)).toBe(
      'AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P',
    );
  });

  it('reads the wamid of a WhatsApp send from the first of its messages', () => {
    expect(whatsAppMessageId(answers.whatsAppSend)).toBe('wamid.HBgLMTY0NjcwNDM1OTUVAgARGBI1RjQyNUE3NEYxMzAzMzQ5MkEA');
  });

  it('reads media uploads and lookups, the locale and the profile answer', () => {
    expect(whatsAppUploadResponse.parse(answers.whatsAppUpload).id).toBe('1037543291543636');
    const media = whatsAppMediaUrlResponse.parse(answers.whatsAppMediaUrl);
    expect(media.url).toMatch(/^https:\/\/lookaside\.fbsbx\.com\//);
    expect(media.mime_type).toBe('audio/ogg; codecs=opus');
    expect(messengerLocaleResponse.parse(answers.messengerLocale).locale).toBe('es_LA');
    expect(messengerProfileResponse.safeParse(answers.messengerProfile).success).toBe(true);
  });

  it("reads Graph's error envelope: code, subcode, trace", () => {
    expect(graphErrorEnvelope.parse(answers.whatsAppRateLimitError).error).toMatchObject({
      code: 130429,
      fbtrace_id: 'Az8or2yhqkZfEZ-_4Qn_Bam',
    });
    expect(graphErrorEnvelope.parse(answers.messengerWindowClosedError).error).toMatchObject({
      code: 10,
      error_subcode: 2018278,
    });
    expect(graphErrorEnvelope.safeParse(answers.pageSend).success).toBe(false);
  });

  it.each(MALFORMED)('reads a send answered %p as a send without an id', (answer) => {
    expect(pageMessageId(answer)).toBeUndefined();
    expect(whatsAppMessageId(answer)).toBeUndefined();
  });

  it('refuses every answer that is not of its shape', () => {
    for (const answer of MALFORMED) {
      expect(whatsAppUploadResponse.safeParse(answer).success).toBe(false);
      expect(whatsAppMediaUrlResponse.safeParse(answer).success).toBe(false);
      expect(messengerProfileResponse.safeParse(answer).success).toBe(false);
    }
    expect(messengerProfileResponse.safeParse({ result: 'failure' }).success).toBe(false);
  });
});

describe('callers given a malformed answer', () => {
  const to = { channelId: '106540352242922', userId: '16505551234' };

  it('count a send whose answer carries no id as sent, with no id', async () => {
    await expect(sendPageMessage(graphAnswering('<html>'), '1254477777772919', 'hi')).resolves.toEqual({
      messageId: undefined,
    });
  });

  it('refuse to send a WhatsApp document the upload gave no id for', async () => {
    const file = { filename: 'export.json', mimeType: 'application/json', bytes: Buffer.from('{}') };
    await expect(sendWhatsAppDocument(graphAnswering({ id: 5 }), to, file)).rejects.toThrow(
      'WhatsApp media upload answered without an id',
    );
  });

  it('take a profile answer without a locale as no locale', async () => {
    await expect(messengerUserLocale(graphAnswering({ locale: 5 }), '1254477777772919')).resolves.toBeUndefined();
    await expect(messengerUserLocale(graphAnswering(answers.messengerLocale), '1254477777772919')).resolves.toBe(
      'es_LA',
    );
  });
});

describe('createPageAdapter', () => {
  const options = { appSecret: 'secret', graph: graphAnswering(answers.pageSend), download: jest.fn() };

  it('gives Messenger its file sends and locale lookup, and Instagram neither', () => {
    const messenger = createMessengerAdapter(options);
    const instagram = createInstagramAdapter(options);
    expect([messenger.platform, messenger.textLimit]).toEqual(['messenger', { max: 2000, unit: 'chars' }]);
    expect([instagram.platform, instagram.textLimit]).toEqual(['instagram', { max: 1000, unit: 'bytes' }]);
    expect(typeof messenger.sendFile).toBe('function');
    expect(typeof messenger.userLocale).toBe('function');
    expect('sendFile' in instagram).toBe(false);
    expect('userLocale' in instagram).toBe(false);
  });

  it('reads each platform only from its own webhook object', () => {
    const delivery = (object: string) => ({ object, entry: [] });
    expect(createMessengerAdapter(options).parseWebhook(delivery('page'))).toEqual([]);
    expect(() => createMessengerAdapter(options).parseWebhook(delivery('instagram'))).toThrow('not a messenger');
    expect(createInstagramAdapter(options).parseWebhook(delivery('instagram'))).toEqual([]);
    expect(() => createInstagramAdapter(options).parseWebhook(delivery('page'))).toThrow('not a instagram');
  });
});
