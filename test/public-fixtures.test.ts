import type { InboundMessage } from '../src/core/inbound';
import { parsePageMessagingWebhook } from '../src/platforms/pages/page-messaging';
import { parseWhatsAppWebhook } from '../src/platforms/whatsapp/webhook';
import { loadPublicFixtures } from './helpers/public-fixtures';
import { startSystem, type TestSystem } from './helpers/system';
import { defined } from './helpers/present';

/**
 * Every payload other projects recorded from Meta (test/fixtures/public) normalises as Meta
 * meant it: what a person wrote or tapped becomes an InboundMessage (a postback carries the
 * button's title as text and its payload); statuses, echoes, reads, reactions, system notices and
 * edits become nothing. A fixture missing from this table fails the
 * test, so a new recording cannot slip in untested.
 */

const NOTHING: Array<Partial<InboundMessage>> = [];
const wa = (over: Partial<InboundMessage>) => ({
  platform: 'whatsapp' as const,
  userId: '972987654321',
  userName: 'Test Name',
  ...over,
});
const waText = (text: string, over: Partial<InboundMessage> = {}) => wa({ text, attachments: [], ...over });
const waUnsupported = (kind: string) => wa({ unsupported: kind, attachments: [] });
const ig = (over: Partial<InboundMessage>) => ({
  platform: 'instagram' as const,
  channelId: '17841400000000000',
  userId: '200000000000001',
  ...over,
});
const fb = (over: Partial<InboundMessage>) => ({
  platform: 'messenger' as const,
  channelId: '100000000000001',
  userId: '200000000000001',
  ...over,
});

const expected: Record<string, Array<Partial<InboundMessage>>> = {
  'pywa/deleted_message.json#revoke': NOTHING,
  'pywa/edited_message.json#image': NOTHING,
  'pywa/message.json#text': [waText('Body Text', { id: 'wamid.xyzxyz', timestamp: 1697043223000 })],
  'pywa/message.json#image': [wa({ attachments: [{ kind: 'image', mediaId: '65463453', mimeType: 'image/jpeg' }] })],
  'pywa/message.json#media_with_url': [
    wa({
      attachments: [
        {
          kind: 'image',
          mediaId: '65463453',
          mimeType: 'image/jpeg',
          url: expect.stringMatching(/^https:\/\/lookaside\.fbsbx\.com\//) as string,
        },
      ],
    }),
  ],
  'pywa/message.json#video': [wa({ attachments: [{ kind: 'video', mediaId: '765756756', mimeType: 'video/mp4' }] })],
  'pywa/message.json#document': [
    wa({
      attachments: [
        { kind: 'document', mediaId: '1234567890987654321', mimeType: 'application/pdf', fileName: 'filename.pdf' },
      ],
    }),
  ],
  'pywa/message.json#audio': [
    wa({
      attachments: [
        { kind: 'audio', mediaId: '1234567890987654321', mimeType: 'audio/ogg; codecs=opus', voice: false },
      ],
    }),
  ],
  'pywa/message.json#voice': [
    wa({
      attachments: [{ kind: 'audio', mediaId: '1234567890987654321', mimeType: 'audio/ogg; codecs=opus', voice: true }],
    }),
  ],
  'pywa/message.json#static_sticker': [wa({ attachments: [{ kind: 'image', mimeType: 'image/webp', sticker: true }] })],
  'pywa/message.json#animated_sticker': [
    wa({ attachments: [{ kind: 'image', mimeType: 'image/webp', sticker: true }] }),
  ],
  // Reactions are feedback: read (kept with the answer, never answered; src/turn/take-reaction.ts).
  'pywa/message.json#reaction': [wa({ reaction: { emoji: '😮', messageId: 'wamid.yzxyzx=' } })],
  'pywa/message.json#unreaction_empty': [wa({ reaction: { emoji: '', messageId: 'wamid.yzxyzx=' } })],
  'pywa/message.json#unreaction_no_emoji': [wa({ reaction: { emoji: '', messageId: 'wamid.yzxyzx=' } })],
  'pywa/message.json#current_location': [wa({ attachments: [], location: expect.objectContaining({}) as never })],
  'pywa/message.json#chosen_location': [wa({ attachments: [], location: expect.objectContaining({}) as never })],
  // Contact cards: only their count rides the job, never the people in them.
  'pywa/message.json#contacts': [wa({ attachments: [], contactCards: 3 })],
  'pywa/message.json#order': [
    wa({
      attachments: [],
      order: {
        catalogId: '354160437058781',
        text: undefined,
        items: [
          { productRetailerId: 'HAMBURGER', quantity: 3, itemPrice: 30, currency: 'ILS' },
          { productRetailerId: 'FRENCH_FRIES', quantity: 2, itemPrice: 35, currency: 'ILS' },
          { productRetailerId: 'SODA', quantity: 2, itemPrice: 10, currency: 'ILS' },
        ],
      },
    }),
  ],
  'pywa/message.json#unsupported': [waUnsupported('unsupported')],
  'pywa/message.json#unsupported_with_type': [waUnsupported('pool')],
  'pywa/message.json#reply': [waText('replied text', { replyToId: 'wamid.xyzxyz==' })],
  'pywa/message.json#forwarded': [waText('forwarded text')],
  'pywa/message.json#forwarded_many_times': [waText('text forwarded many times')],
  'pywa/message.json#interactive_message_with_err': [wa({ id: 'wamid.wegrchytvwcggt=', unsupported: 'interactive' })],
  'pywa/message.json#referral': [waText('BODY', { id: 'wamid.ID' })],
  'pywa/message_status.json#sent': NOTHING,
  'pywa/message_status.json#delivered': NOTHING,
  'pywa/message_status.json#read': NOTHING,
  'pywa/message_status.json#played': NOTHING,
  'pywa/message_status.json#failed': NOTHING,
  'pywa/message_status.json#with_tracker': NOTHING,
  'pywa/message_status.json#group': NOTHING,
  'pywa/outgoing_message.json#text': NOTHING,
  'pywa/outgoing_message.json#delete': NOTHING,
  'pywa/outgoing_message.json#edit': NOTHING,
  'pywa/system.json#phone_number_change': NOTHING,
  'pywa/system.json#identity_change': NOTHING,
  'vercel-chat/instagram-sample-messages.md#Text DM': [ig({ id: 'mid.text.1', text: 'Do you ship to Córdoba?' })],
  'vercel-chat/instagram-sample-messages.md#Image attachment': [
    ig({ id: 'mid.image.1', attachments: [{ kind: 'image', url: 'https://cdn.example.com/product.jpg' }] }),
  ],
  'vercel-chat/instagram-sample-messages.md#Story reply': [ig({ text: 'Is this still available?' })],
  'vercel-chat/instagram-sample-messages.md#Story mention': [ig({ unsupported: 'story_mention' })],
  'vercel-chat/instagram-sample-messages.md#Quick reply': [
    ig({ text: 'Yes', payload: 'chat:{"a":"confirm","v":"yes"}' }),
  ],
  'vercel-chat/instagram-sample-messages.md#Postback': [
    ig({ id: 'mid.postback.1', text: 'Track order', payload: 'chat:{"a":"track"}', postback: true }),
  ],
  'vercel-chat/instagram-sample-messages.md#Reaction': [ig({ reaction: { emoji: '❤️', messageId: 'mid.sent.1' } })],
  'vercel-chat/instagram-sample-messages.md#Echo': NOTHING,
  'vercel-chat/replay-dm-instagram.json#firstMessage': [
    ig({ id: 'mid_ig_text_001', text: 'Do you ship to Córdoba?', timestamp: 1772998024000 }),
  ],
  'vercel-chat/replay-dm-instagram.json#storyReply': [ig({ id: 'mid_ig_story_001', text: 'Is this available?' })],
  'vercel-chat/replay-dm-instagram.json#reactionAdded': [
    ig({ reaction: { emoji: '❤️', messageId: 'mid_ig_text_001' } }),
  ],
  'vercel-chat/replay-dm-instagram.json#quickReply': [ig({ text: 'Yes', payload: 'chat:{"a":"confirm","v":"yes"}' })],
  'vercel-chat/replay-dm-instagram.json#echoMessage': NOTHING,
  'vercel-chat/replay-dm-messenger.json#firstMessage': [
    fb({ id: 'm_FAKE_MSG_ID_001', text: 'What is Vercel?', timestamp: 1772998024000 }),
  ],
  'vercel-chat/replay-dm-messenger.json#secondMessage': [fb({ id: 'm_FAKE_MSG_ID_002', text: 'Tell me more' })],
  'vercel-chat/replay-dm-messenger.json#deliveryConfirmation': NOTHING,
  'vercel-chat/replay-dm-messenger.json#readConfirmation': NOTHING,
  'vercel-chat/replay-dm-messenger.json#reactionAdded': [
    fb({ reaction: { emoji: '❤', messageId: 'm_FAKE_MSG_ID_001' } }),
  ],
  'vercel-chat/replay-dm-messenger.json#reactionRemoved': [
    fb({ reaction: { emoji: '', messageId: 'm_FAKE_MSG_ID_001' } }),
  ],
  // Without a mid, the tap's sender and stamp name it, so a redelivery is answered once.
  'vercel-chat/replay-dm-messenger.json#postbackClick': [
    fb({
      id: 'postback-200000000000001-1772998084000',
      text: 'Say Hello',
      payload: 'chat:{"a":"hello"}',
      postback: true,
    }),
  ],
  'vercel-chat/replay-dm-messenger.json#legacyPostback': [
    fb({ id: 'postback-200000000000001-1772998094000', text: 'Get Started', payload: 'GET_STARTED', postback: true }),
  ],
  'vercel-chat/replay-dm-messenger.json#imageAttachment': [
    fb({ attachments: [{ kind: 'image', url: 'https://example.com/image.jpg' }] }),
  ],
  'vercel-chat/replay-dm-messenger.json#echoMessage': NOTHING,
  'vercel-chat/replay-dm-whatsapp.json#firstMessage': [
    {
      platform: 'whatsapp',
      channelId: '100000000000001',
      userId: '15550002222',
      userName: 'Test User',
      text: 'What is Vercel?',
      id: 'wamid.FAKE_MSG_ID_001',
    },
  ],
  'vercel-chat/replay-dm-whatsapp.json#secondMessage': [
    { platform: 'whatsapp', userId: '15550002222', text: 'Tell me more' },
  ],
  'vercel-chat/replay-dm-whatsapp.json#statusUpdate': NOTHING,
  'vercel-chat/whatsapp-sample-messages.md#Text message': [
    { platform: 'whatsapp', userId: '15551234567', text: 'Hello, bot!' },
  ],
  'vercel-chat/whatsapp-sample-messages.md#Image message': [
    {
      platform: 'whatsapp',
      text: 'Check this out',
      attachments: [{ kind: 'image', mediaId: '000000000000001', mimeType: 'image/jpeg' }],
    },
  ],
  'vercel-chat/whatsapp-sample-messages.md#Reaction': [
    {
      platform: 'whatsapp',
      reaction: { emoji: '👍', messageId: 'wamid.HBgNMTU1NTEyMzQ1NjcVAgASGBQzQUYwMDAwMDAwMDAwMDAwMDAA' },
    },
  ],
  'vercel-chat/whatsapp-sample-messages.md#Interactive button reply': [
    { platform: 'whatsapp', text: 'Approve', payload: 'btn_approve' },
  ],
  'vercel-chat/whatsapp-sample-messages.md#Text message with business-scoped user IDs': [
    { platform: 'whatsapp', userId: '15551234567', text: 'Hello from a username user' },
  ],
  'vercel-chat/whatsapp-sample-messages.md#System message (user_changed_number)': NOTHING,
  'vercel-chat/whatsapp-sample-messages.md#System message (user_changed_user_id)': NOTHING,
  'vercel-chat/whatsapp-sample-messages.md#BSUID rotation (user_id_update)': NOTHING,
  'vercel-chat/whatsapp-sample-messages.md#Status update (message delivered)': NOTHING,
};

const ROUTE_BY_OBJECT: Record<string, 'whatsapp' | 'messenger' | 'instagram'> = {
  whatsapp_business_account: 'whatsapp',
  page: 'messenger',
  instagram: 'instagram',
};

function parse(payload: unknown): InboundMessage[] {
  const object = (payload as { object: string }).object;
  const platform = ROUTE_BY_OBJECT[object];
  if (platform === 'whatsapp') return parseWhatsAppWebhook(payload);
  return parsePageMessagingWebhook(payload, platform!, object);
}

const fixtures = loadPublicFixtures();

describe('public webhook fixtures', () => {
  it('are all accounted for in this table', () => {
    expect(fixtures.map((f) => f.name).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(fixtures.map((f) => [f.name, f.payload] as const))('%s normalises as Meta meant it', (name, payload) => {
    const messages = parse(payload);
    expect(messages).toHaveLength(defined(expected[name]).length);
    defined(expected[name]).forEach((want, i) => expect(messages[i]).toMatchObject(want));
    // JSON-safe: survives the trip through a queue unchanged.
    expect(JSON.parse(JSON.stringify(messages))).toEqual(messages);
  });

  describe('through the signed webhook route', () => {
    let system: TestSystem;
    beforeAll(async () => {
      system = await startSystem({ workers: false });
    });
    afterAll(async () => system.stop());

    it('every fixture is acknowledged with 200 on its platform’s route', async () => {
      for (const { name, payload } of fixtures) {
        const route = defined(ROUTE_BY_OBJECT[(payload as { object: string }).object]);
        const res = await system.deliver(route, payload);
        expect([name, res.status]).toEqual([name, 200]);
      }
    });
  });
});
