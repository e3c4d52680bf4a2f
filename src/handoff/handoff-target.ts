import type { Platform } from '../core/inbound';

/** Who wrote a line of the transcript an agent is shown. */
export type HandoffSpeaker = 'person' | 'assistant';

/** One line of the conversation as the agent's inbox receives it (`at`: ISO 8601). */
export interface HandoffLine {
  from: HandoffSpeaker;
  text: string;
  at: string;
}

/** Why a conversation went to a person (metrics label; the agent sees it). */
export type HandoffReason =
  'asked' | 'frustration' | 'complaint' | 'refund' | 'legal' | 'no-answer' | 'failures' | 'other';

/** An agent's reply the platform refused after Threadline took it: `reply` is the agent side's message id. */
export interface ReplyNotSent {
  reply: string;
  reason: 'window-closed' | 'refused';
  detail: string;
}

/** How a conversation came back to the assistant (`at`: ms), and `by` the target that asked for it, if one did. */
export interface HandoffReturn {
  why: 'resolved' | 'bot' | 'idle' | 'forgotten';
  at: number;
  by?: HandoffTarget['name'];
}

/** A conversation handed to a person, as every target receives it. */
export interface HandoffRequest {
  /** an opaque, stable id for the conversation (never the raw user id) */
  conversation: string;
  platform: Platform;
  /** the business side of the thread (phone_number_id, Page id, Instagram account id) */
  channelId: string;
  /** the person's id on that platform, for targets that must address them (Meta's inbox) */
  userId: string;
  /** the person's display name, when the platform gave one */
  userName?: string;
  reason: HandoffReason;
  /** the model's or the person's words on why, shown to the agent */
  detail?: string;
  transcript: HandoffLine[];
}

/** Where a conversation lives on its platform: what a target that addresses the person needs. */
export type HandoffThread = Pick<HandoffRequest, 'platform' | 'channelId' | 'userId'>;

/**
 * Where agents work: Chatwoot, Meta's own inbox, or a plain signed webhook. The assistant calls
 * `requested` once when it steps aside, `forward` for each later message from the person (in
 * order, once), and `returned` when the conversation comes back to it.
 */
export interface HandoffTarget {
  readonly name: 'chatwoot' | 'meta-inbox' | 'webhook';
  /** whether this target can take a conversation on this platform (Meta's inbox: not WhatsApp) */
  serves(platform: Platform): boolean;
  requested(request: HandoffRequest): Promise<void>;
  forward(conversation: string, line: HandoffLine): Promise<void>;
  /** an agent's reply taken from this target was refused by the platform: the agent is told */
  notSent?(conversation: string, notice: ReplyNotSent): Promise<void>;
  /** `thread`: the conversation's platform thread, which Meta's inbox needs to take control back */
  returned?(conversation: string, thread?: HandoffThread, how?: HandoffReturn): Promise<void>;
  /** /forget all: whatever the target keeps about the conversation on Threadline's side goes */
  forget?(conversation: string): Promise<void>;
  /** /export: what the target keeps about the conversation on Threadline's side, if anything */
  kept?(conversation: string): Promise<object | undefined>;
}
