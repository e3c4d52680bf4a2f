import { readFileSync } from 'node:fs';
import path from 'node:path';
import { inboundMessageSchema, type InboundMessage } from '../src/core/inbound';
import type { SkippedElement } from '../src/platforms/adapter';
import { parsePageMessagingWebhook } from '../src/platforms/pages/page-messaging';
import { parseWhatsAppWebhook } from '../src/platforms/whatsapp/webhook';
import { PAGE_INBOX_APP_ID } from '../src/handoff/meta-inbox';

/**
 * Who answers a conversation, read from Meta's deliveries (payloads shaped per Meta's docs:
 * test/fixtures/handover/README.md): handover events and standby deliveries on Messenger and
 * Instagram, Conversation Routing handovers and coexistence echoes on WhatsApp. Each becomes one
 * InboundMessage with `control` set (valid for the inbound job schema), with an id that a
 * redelivery repeats; events that change nothing produce nothing.
 */
const fixtures = (file: string) =>
  JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'handover', file), 'utf8')) as Record<string, unknown>;
const messenger = fixtures('messenger.json');
const instagram = fixtures('instagram.json');
const whatsapp = fixtures('whatsapp.json');

const page = (payload: unknown, skipped?: (s: SkippedElement) => void) =>
  parsePageMessagingWebhook(payload, 'messenger', 'page', skipped);

function only(messages: InboundMessage[]): InboundMessage {
  expect(messages).toHaveLength(1);
  expect(inboundMessageSchema.parse(messages[0])).toEqual(messages[0]);
  return messages[0]!;
}

describe('Messenger and Instagram handovers', () => {
  it('reads pass_thread_control (sent to the app that receives the thread) as given back', () => {
    expect(only(page(messenger.pass_thread_control))).toEqual({
      platform: 'messenger',
      id: 'handover-pass-6000000000000001-1765098000000',
      channelId: '100000000000001',
      userId: '6000000000000001',
      timestamp: 1765098000000,
      attachments: [],
      control: {
        kind: 'given-back',
        via: 'handover',
        ownerAppId: '123456789',
        metadata: 'Additional content that the caller wants to set',
      },
    });
  });

  it('reads take_thread_control (sent to the app that lost it) as taken', () => {
    const taken = only(page(messenger.take_thread_control));
    expect(taken.control).toEqual({
      kind: 'taken',
      via: 'handover',
      ownerAppId: PAGE_INBOX_APP_ID,
      metadata: 'additional content that the caller wants to set',
    });
    expect(taken.text).toBeUndefined();
  });

  it('gives a redelivered event the same id, so it is enqueued once', () => {
    expect(only(page(messenger.take_thread_control)).id).toBe(only(page(messenger.take_thread_control)).id);
  });

  it('produces nothing for a request for control or a role change', () => {
    expect(page(messenger.request_thread_control)).toEqual([]);
    expect(page(messenger.app_roles)).toEqual([]);
  });

  it("reads a person's message on standby as taken, keeping their words and never as a message to answer", () => {
    const standby = only(page(messenger.standby_message));
    expect(standby).toMatchObject({
      id: 'standby-m_standby_person_1',
      userId: '6000000000000001',
      channelId: '100000000000001',
      text: 'Is anyone there?',
      control: { kind: 'taken', via: 'standby' },
    });
  });

  it("reads the inbox agent's reply echoed on standby as taken by that app, addressed to the person", () => {
    const echo = only(page(messenger.standby_echo));
    expect(echo).toMatchObject({
      id: 'standby-m_standby_echo_1',
      userId: '6000000000000001',
      channelId: '100000000000001',
      control: {
        kind: 'taken',
        via: 'standby',
        ownerAppId: PAGE_INBOX_APP_ID,
        businessText: 'Hi, this is Marta from the shop.',
      },
    });
    expect(echo.text).toBeUndefined();
  });

  it("reads an agent's reply sent from Meta's inbox as the business stepping in, and our own echoes as nothing", () => {
    expect(only(page(messenger.inbox_echo))).toMatchObject({
      id: 'echo-m_inbox_echo_1',
      userId: '6000000000000001',
      channelId: '100000000000001',
      control: {
        kind: 'business-echo',
        via: 'echo',
        ownerAppId: PAGE_INBOX_APP_ID,
        businessText: "I'm Marta, I'll look into it.",
      },
    });
    expect(page(messenger.own_echo)).toEqual([]);
  });

  it('drops reads and deliveries on standby', () => {
    expect(page(messenger.standby_read)).toEqual([]);
  });

  it('reads Instagram deliveries the same way', () => {
    const passed = only(parsePageMessagingWebhook(instagram.pass_thread_control, 'instagram', 'instagram'));
    expect(passed).toMatchObject({
      platform: 'instagram',
      userId: '7000000000000001',
      control: { kind: 'given-back' },
    });
  });

  it('keeps the messages of the same delivery, in order, with the standby events after them', () => {
    const entry = {
      id: '100000000000001',
      time: 1,
      messaging: [
        {
          sender: { id: '6000000000000002' },
          recipient: { id: '100000000000001' },
          timestamp: 1765098000001,
          message: { mid: 'm_1', text: 'hello' },
        },
      ],
      standby: (messenger.standby_message as { entry: Array<{ standby: unknown[] }> }).entry[0]!.standby,
    };
    const read = page({ object: 'page', entry: [entry] });
    expect(read.map((m) => [m.id, m.control?.kind])).toEqual([
      ['m_1', undefined],
      ['standby-m_standby_person_1', 'taken'],
    ]);
  });

  it('skips a handover whose sender is not a Meta id, and says where', () => {
    const skipped: SkippedElement[] = [];
    const bad = JSON.parse(JSON.stringify(messenger.pass_thread_control)) as {
      entry: Array<{ messaging: Array<{ sender: { id: string } }> }>;
    };
    bad.entry[0]!.messaging[0]!.sender.id = 'not-an-id';
    expect(page(bad, (s) => skipped.push(s))).toEqual([]);
    expect(skipped.map((s) => s.element)).toEqual(['entry[0].messaging[0]']);
  });
});

describe('WhatsApp routing and coexistence', () => {
  it('reads a reply typed in the WhatsApp Business app (smb_message_echoes) as a business echo to the person', () => {
    expect(only(parseWhatsAppWebhook(whatsapp.smb_message_echo_text))).toEqual({
      platform: 'whatsapp',
      id: 'echo-wamid.HBgLMzQ2MDAxMTEyMjIVAgARGBJFQ0hPMTIzNDU2Nzg5MAA=',
      channelId: '106540352242922',
      userId: '34600111222',
      timestamp: 1765098000000,
      attachments: [],
      control: { kind: 'business-echo', via: 'echo', businessText: 'Hola Ana, soy Marta. Te llamo en 5 minutos.' },
    });
  });

  it('addresses an echo by the business-scoped user id when it names no phone number', () => {
    const payload = JSON.parse(JSON.stringify(whatsapp.smb_message_echo_text)) as {
      entry: Array<{ changes: Array<{ value: { message_echoes: Array<Record<string, unknown>> } }> }>;
    };
    delete payload.entry[0]!.changes[0]!.value.message_echoes[0]!.to;
    expect(only(parseWhatsAppWebhook(payload)).userId).toBe('ES.13491208655302741918');
  });

  it('produces nothing for the business revoking or editing a message it sent earlier', () => {
    const payload = JSON.parse(JSON.stringify(whatsapp.smb_message_echo_text)) as {
      entry: Array<{ changes: Array<{ value: { message_echoes: Array<Record<string, unknown>> } }> }>;
    };
    payload.entry[0]!.changes[0]!.value.message_echoes[0] = {
      ...payload.entry[0]!.changes[0]!.value.message_echoes[0],
      type: 'revoke',
      revoke: { original_message_id: 'wamid.earlier' },
    };
    expect(parseWhatsAppWebhook(payload)).toEqual([]);
  });

  it('reads control_passed (to the new owner) as given back and control_taken (to the previous one) as taken', () => {
    const passed = only(parseWhatsAppWebhook(whatsapp.control_passed));
    expect(passed).toMatchObject({
      userId: '34600111222',
      channelId: '106540352242922',
      timestamp: 1765098100000,
      control: { kind: 'given-back', via: 'handover', metadata: 'resolved' },
    });
    expect(only(parseWhatsAppWebhook(whatsapp.control_taken)).control).toEqual({ kind: 'taken', via: 'handover' });
  });

  it('skips a handover that names no user it can address, and says where', () => {
    const skipped: SkippedElement[] = [];
    const payload = JSON.parse(JSON.stringify(whatsapp.control_taken)) as {
      entry: Array<{ changes: Array<{ value: { control_taken: Record<string, unknown> } }> }>;
    };
    delete payload.entry[0]!.changes[0]!.value.control_taken.wa_id;
    expect(parseWhatsAppWebhook(payload, (s) => skipped.push(s))).toEqual([]);
    expect(skipped).toEqual([
      { element: 'entry[0].changes[0].value.control_taken', reason: 'no WhatsApp user id found' },
    ]);
  });
});
