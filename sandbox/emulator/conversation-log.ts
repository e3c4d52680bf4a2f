import { EventEmitter } from 'node:events';
import type { CardView } from './card-views';
import type { SandboxPlatform } from './ids';

/** One bubble of a sandbox conversation, as the chat page draws it. */
export interface ChatItem {
  id: string;
  platform: SandboxPlatform;
  from: 'user' | 'bot';
  kind: 'text' | 'image' | 'audio' | 'file' | 'card' | 'other';
  text?: string;
  mediaId?: string;
  /** a file the business sent (kind `file`): the name the app shows and saves it under */
  filename?: string;
  mimeType?: string;
  size?: number;
  voice?: boolean;
  quickReplies?: Array<{ title: string; payload: string }>;
  /** a product message (kind `card`): what the app would draw */
  card?: CardView;
  /** user messages: sent (POSTed) → delivered (web answered 200) → read (Threadline marked it read) */
  status: 'sending' | 'sent' | 'delivered' | 'read' | 'failed';
  at: number;
}

/** What the page is told, live, over server-sent events. */
export type SandboxEvent =
  | { type: 'message'; item: ChatItem }
  | { type: 'status'; platform: SandboxPlatform; id: string; status: ChatItem['status'] }
  | { type: 'typing'; platform: SandboxPlatform; on: boolean }
  | {
      type: 'log';
      platform: SandboxPlatform | 'system';
      direction: 'webhook' | 'graph' | 'info';
      summary: string;
      at: number;
    };

/** The three conversations, kept in memory so a reloaded page shows them again. */
export class ConversationLog extends EventEmitter<{ event: [SandboxEvent] }> {
  private readonly items: ChatItem[] = [];
  private readonly logLines: Array<Extract<SandboxEvent, { type: 'log' }>> = [];

  add(item: ChatItem): void {
    this.items.push(item);
    if (this.items.length > 600) this.items.shift();
    this.emit('event', { type: 'message', item });
  }

  setStatus(platform: SandboxPlatform, id: string, status: ChatItem['status']): void {
    const rank = { sending: 0, failed: 0, sent: 1, delivered: 2, read: 3 } as const;
    for (const item of this.items) {
      if (item.platform !== platform || item.id !== id || item.from !== 'user') continue;
      // A status never goes backwards (a late "delivered" after "read" changes nothing).
      if (status !== 'failed' && rank[status] <= rank[item.status]) return;
      item.status = status;
      this.emit('event', { type: 'status', platform, id, status });
    }
  }

  /** Marks `id` and every earlier user message of the thread as read, as WhatsApp does. */
  markReadUpTo(platform: SandboxPlatform, id: string | undefined): void {
    const thread = this.items.filter((i) => i.platform === platform && i.from === 'user');
    const last = id === undefined ? thread.length - 1 : thread.findIndex((i) => i.id === id);
    for (const item of thread.slice(0, last + 1)) this.setStatus(platform, item.id, 'read');
  }

  typing(platform: SandboxPlatform, on: boolean): void {
    this.emit('event', { type: 'typing', platform, on });
  }

  log(platform: SandboxPlatform | 'system', direction: 'webhook' | 'graph' | 'info', summary: string): void {
    const line = { type: 'log' as const, platform, direction, summary, at: Date.now() };
    this.logLines.push(line);
    if (this.logLines.length > 300) this.logLines.shift();
    this.emit('event', line);
  }

  snapshot(): { items: ChatItem[]; log: SandboxEvent[] } {
    return { items: [...this.items], log: [...this.logLines] };
  }

  botItems(platform?: SandboxPlatform): ChatItem[] {
    return this.items.filter((i) => i.from === 'bot' && (platform === undefined || i.platform === platform));
  }
}
