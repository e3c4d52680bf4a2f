import { createLogger } from '../src/logging';
import { createGraphClient } from '../src/platforms/graph-client';
import type { HandoffRequest } from '../src/handoff/handoff-target';
import { createMetaInboxTarget, INSTAGRAM_INBOX_APP_ID, PAGE_INBOX_APP_ID } from '../src/handoff/meta-inbox';
import { FakeGraph } from './helpers/fake-graph';

/**
 * Meta's inbox as a handoff target, against the fake Graph: handing off passes thread control to
 * the Page Inbox (Messenger) or the Instagram Inbox with the Page token; giving back takes it; the
 * person's later messages are not forwarded (the inbox owns the thread and receives them).
 */
describe("Meta's inbox target", () => {
  let graph: FakeGraph;
  const logger = createLogger({ level: 'silent', name: 'test' });

  beforeEach(async () => {
    graph = await new FakeGraph().start();
  });
  afterEach(async () => graph.stop());

  const target = (platforms: string[] = ['messenger', 'instagram']) => {
    const client = createGraphClient({
      baseUrl: graph.url,
      version: 'v25.0',
      accessToken: 'page-token',
      timeoutMs: 5000,
    });
    return createMetaInboxTarget({ graphFor: (p) => (platforms.includes(p) ? client : undefined), logger });
  };

  const request: HandoffRequest = {
    conversation: 'hc-77',
    platform: 'messenger',
    channelId: '1122334455',
    userId: '99887766',
    reason: 'complaint',
    detail: 'the parcel is late',
    transcript: [{ from: 'person', text: 'Where is my parcel?', at: '2026-12-07T09:00:00.000Z' }],
  };

  it('serves Messenger and Instagram where their channel is on, never WhatsApp', () => {
    expect(target().serves('messenger')).toBe(true);
    expect(target().serves('instagram')).toBe(true);
    expect(target().serves('whatsapp')).toBe(false);
    expect(target(['messenger']).serves('instagram')).toBe(false);
  });

  it('passes thread control to the Page Inbox with the reason as metadata, with the Page token', async () => {
    await target().requested(request);
    expect(graph.threadControlCalls()).toEqual([
      {
        call: 'pass',
        recipient: '99887766',
        body: {
          recipient: { id: '99887766' },
          target_app_id: PAGE_INBOX_APP_ID,
          metadata: 'threadline handoff: complaint: the parcel is late',
        },
      },
    ]);
    expect(graph.requests[0]!.path).toBe('/v25.0/me/pass_thread_control');
    expect(graph.requests[0]!.headers.authorization).toBe('Bearer page-token');
  });

  it('passes an Instagram conversation to the Instagram Inbox', async () => {
    await target().requested({ ...request, platform: 'instagram', userId: '17841400000000' });
    expect(graph.threadControlCalls()[0]).toMatchObject({
      call: 'pass',
      body: { target_app_id: INSTAGRAM_INBOX_APP_ID },
    });
  });

  it('forwards nothing while the inbox owns the thread, and takes control back on return', async () => {
    const inbox = target();
    await inbox.requested(request);
    await inbox.forward(request.conversation, { from: 'person', text: 'Hello?', at: '2026-12-07T09:01:00.000Z' });
    await inbox.returned!(request.conversation, request);
    expect(graph.threadControlCalls().map((c) => [c.call, c.recipient])).toEqual([
      ['pass', '99887766'],
      ['take', '99887766'],
    ]);
    expect(graph.sentTexts()).toEqual([]);
  });

  it("surfaces Graph's refusal (take without Conversation Routing) to the caller", async () => {
    graph.script({
      status: 400,
      body: {
        error: {
          message: '(#27) Take thread control is not supported when Conversation Routing is not enabled',
          code: 27,
        },
      },
    });
    await expect(target().returned!(request.conversation, request)).rejects.toMatchObject({ code: 27 });
  });
});
