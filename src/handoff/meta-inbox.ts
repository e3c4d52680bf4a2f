import type { Platform } from '../core/inbound';
import type { Logger } from '../logging';
import { INSTAGRAM_INBOX_APP_ID, PAGE_INBOX_APP_ID } from '../platforms/pages/page-thread';
import type { GraphClient } from '../platforms/graph-client';
import type { HandoffTarget, HandoffThread } from './handoff-target';

/**
 * Meta's own inbox (Meta Business Suite: the Page Inbox for Messenger, the Instagram Inbox for
 * Instagram) through Conversation Routing, which replaced the Handover Protocol's app roles and
 * keeps its thread control calls. Handing off passes thread control to the inbox app; while it
 * owns the thread the person's messages reach the agent there (and reach us only on `standby`),
 * so nothing is forwarded. Giving back takes control again, which Meta allows only with
 * Conversation Routing on and our app allowed to take control in the Page's settings; the inbox
 * passing the thread back arrives as a `pass_thread_control` event instead (docs/handoff.md).
 * Calls go to `/me/...` with the channel's Page token, so `me` is the Page.
 */

/** Meta's inbox apps, as the Conversation Routing docs name them as `target_app_id`. */
export { INSTAGRAM_INBOX_APP_ID, PAGE_INBOX_APP_ID };

/** Graph's cap on `metadata` in thread control calls. */
const METADATA_MAX = 1000;

export interface MetaInboxDependencies {
  /** the Graph client of each platform that is on (Page token); WhatsApp is not served */
  graphFor(platform: Platform): GraphClient | undefined;
  logger: Logger;
}

const inboxAppOf = (platform: Platform) =>
  platform === 'messenger' ? PAGE_INBOX_APP_ID : platform === 'instagram' ? INSTAGRAM_INBOX_APP_ID : undefined;

export function createMetaInboxTarget(deps: MetaInboxDependencies): HandoffTarget {
  const graphOf = (thread: HandoffThread) => {
    const graph = inboxAppOf(thread.platform) ? deps.graphFor(thread.platform) : undefined;
    if (!graph) throw new Error(`Meta's inbox does not serve ${thread.platform}`);
    return graph;
  };
  return {
    name: 'meta-inbox',
    serves: (platform) => inboxAppOf(platform) !== undefined && deps.graphFor(platform) !== undefined,
    async requested(request) {
      const metadata = `threadline handoff: ${request.reason}${request.detail ? `: ${request.detail}` : ''}`;
      await graphOf(request).post('/me/pass_thread_control', {
        recipient: { id: request.userId },
        target_app_id: inboxAppOf(request.platform),
        metadata: metadata.slice(0, METADATA_MAX),
      });
      deps.logger.info({ platform: request.platform, reason: request.reason }, "handed over to Meta's inbox");
    },
    // The inbox app owns the thread: the person's messages are delivered to it, not forwarded by us.
    forward: () => Promise.resolve(),
    async returned(_conversation, thread) {
      if (!thread) throw new Error("Meta's inbox needs the conversation's thread to take control back");
      await graphOf(thread).post('/me/take_thread_control', {
        recipient: { id: thread.userId },
        metadata: 'threadline: the assistant answers again',
      });
    },
  };
}
