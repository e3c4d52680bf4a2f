import { createHmac } from 'node:crypto';
import type { BusinessHours } from '../../config';
import { handoffTexts } from '../commands/handoff-texts';
import { conversationKey } from '../core/inbound';
import { translatorFor } from '../i18n/translator';
import { drainForwardLog } from './forward-log';
import type { HandoffLine, HandoffTarget } from './handoff-target';
import type { EndedHandoff, PausedState } from './handoff-state';
import type { HandoffAddress } from './send-to-person';
import type { SendFailure } from '../platforms/graph-errors';
import { agentReplyKey, agentWindow, logNotSent } from './agent-reply';
import { forgetConversations, keptByTargets, tellReturned } from './desk-privacy';
import { timeFirstReply, typicalWait, type TypicalWait } from './reply-times';
import {
  lastPersonLine,
  type AgentReplyResult,
  type HandoffDeskDependencies,
  type HandoffStatus,
  type ReturnReason,
  type StepAside,
  type StepAsideRequest,
} from './handoff-desk-types';

export type { AgentReplyResult, HandoffDeskDependencies, HandoffStatus, ReturnReason, StepAside, StepAsideRequest };

/**
 * The core of handing a conversation to a person: who has it (handoff-state.ts), what the
 * agent's inbox receives (forward-log.ts, in order, once), the agent's replies to the person
 * (through the send queue, once by the agent's message id, never into a closed window)
 * and the conversation's return to the assistant, told to the person. Both processes build one:
 * the worker steps aside and forwards, `web` takes the agent side's replies and resolutions.
 */
export class HandoffDesk {
  private readonly now: () => number;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: HandoffDeskDependencies) {
    this.now = deps.now ?? Date.now;
  }

  get hours(): BusinessHours | null {
    return this.deps.hours ?? null;
  }

  /** Whether any target is configured: off, `/human` says no person is available. */
  get enabled(): boolean {
    return this.deps.targets.length > 0;
  }

  /** The opaque id helpdesks know a conversation by: a keyed hash, never the person's id. */
  handleOf(conversation: string): string {
    return `c_${createHmac('sha256', this.deps.handleKey).update(conversation).digest('base64url').slice(0, 22)}`;
  }

  /** Hands the conversation to every target that serves its platform and records the pause. */
  async stepAside(to: HandoffAddress, request: StepAsideRequest): Promise<StepAside> {
    if (!this.enabled) return { handedTo: [], why: 'off' };
    const targets = this.deps.targets.filter((target) => target.serves(to.platform));
    if (targets.length === 0) return { handedTo: [], why: 'no-target' };
    const conversation = conversationKey(to);
    const handle = this.handleOf(conversation);
    const existing = await this.deps.store.read(conversation);
    if (!existing) {
      const now = this.now();
      const lastPersonAt = lastPersonLine(request.transcript) ?? now;
      const state: PausedState = {
        ...{ conversation, handle, platform: to.platform, channelId: to.channelId, userId: to.userId },
        ...{ targets: targets.map((target) => target.name), reason: request.reason, since: now, lastPersonAt },
        ...{ language: request.language, askedBy: request.askedBy },
        ...(request.userName ? { userName: request.userName } : {}),
      };
      await this.deps.store.write(state);
      for (const target of targets) this.deps.metrics.handoffs.inc({ reason: request.reason, target: target.name });
      this.deps.logger.info({ reason: request.reason, targets: state.targets }, 'conversation handed to a person');
    }
    const entry = { kind: 'requested' as const, id: `requested:${request.askedBy}`, transcript: request.transcript };
    await this.deps.store.append(conversation, request.detail ? { ...entry, detail: request.detail } : entry);
    await this.drain(conversation).catch(this.drainLater);
    return { handedTo: targets.map((target) => target.name), handle };
  }

  /**
   * Who has the conversation now: null when the assistant does. A pause whose agent has been
   * silent for HANDOFF_IDLE_HOURS is over: it is given back (the person told) and null returned.
   */
  async current(conversation: string): Promise<PausedState | null> {
    return (await this.status(conversation)).state;
  }

  /** As `current`, saying whether this gave an idle pause back; `stored`: the record as the turn's claim read it. */
  async status(conversation: string, stored?: string | null): Promise<HandoffStatus> {
    const state = stored === undefined ? await this.deps.store.read(conversation) : this.deps.store.parse(stored);
    if (!state) return { state: null, returned: false };
    const quietSince = state.lastAgentAt ?? state.since;
    if (this.now() - quietSince < this.deps.idleSeconds * 1000) return { state, returned: false };
    return { state: null, returned: await this.giveBack(conversation, 'idle') };
  }

  /** Gives back every pause idle for HANDOFF_IDLE_HOURS, the person told without writing first (any worker; the first wins). */
  async returnIdle(): Promise<number> {
    let returned = 0;
    for await (const conversations of this.deps.store.pausedConversations()) {
      for (const conversation of conversations) if ((await this.status(conversation)).returned) returned += 1;
    }
    return returned;
  }

  /** Runs `returnIdle` every quarter of the idle time (1 s to a minute) until `stopWatching`: the worker's watch. */
  watchIdle(): this {
    const everyMs = Math.min(60_000, Math.max(1000, (this.deps.idleSeconds * 1000) / 4));
    this.stopWatching();
    this.idleTimer = setInterval(() => {
      this.returnIdle().catch((err: unknown) => this.deps.logger.warn({ err }, 'idle handoffs not checked'));
    }, everyMs);
    this.idleTimer.unref();
    return this;
  }

  stopWatching(): void {
    if (this.idleTimer) clearInterval(this.idleTimer);
    this.idleTimer = undefined;
  }

  async isPaused(conversation: string): Promise<boolean> {
    return (await this.current(conversation)) !== null;
  }

  /**
   * A message from the person during the pause: into the forward log once (by `messageKey`), then
   * delivered to every target in order. Throws when a target could not take it; the entry stays in
   * the log and the next drain (the retry, or the next message) delivers it first.
   */
  async forward(state: PausedState, messageKey: string, line: HandoffLine): Promise<void> {
    await this.deps.store.append(state.conversation, { kind: 'message', id: messageKey, line });
    await this.deps.store.write({ ...state, lastPersonAt: Math.max(state.lastPersonAt, Date.parse(line.at) || 0) });
    await this.drain(state.conversation);
  }

  /** Delivers what the targets have not received yet; see forward-log.ts. */
  async drain(conversation: string): Promise<void> {
    const state = await this.deps.store.read(conversation);
    if (!state) return;
    const targets = this.deps.targets.filter((target) => state.targets.includes(target.name));
    await drainForwardLog(state, targets, this.deps.store, this.deps.logger);
  }

  /**
   * The assistant has the conversation again: the pause and its log go, the targets hear of it
   * (a target that asked for it knows already), and the person is told once, in their language,
   * even when resolve is called twice.
   */
  async giveBack(conversation: string, why: ReturnReason, by?: HandoffTarget['name']): Promise<boolean> {
    const state = await this.deps.store.read(conversation);
    if (!state || !(await this.deps.store.clear(state))) return false;
    const at = this.now();
    await this.deps.store.rememberReturn(state, why, at);
    this.deps.metrics.handoffReturns.inc({ why });
    this.deps.logger.info({ why }, 'conversation given back to the assistant');
    const back = handoffTexts.back(translatorFor(state.language));
    await this.deps.sendToPerson(state, back, `handoff-back:${state.handle}:${state.since}`);
    await tellReturned(this.deps, state, { why, at, ...(by ? { by } : {}) });
    return true;
  }

  /** What the person asking for someone is told agents usually take (reply-times.ts); null: no figure. */
  typicalWait(): Promise<TypicalWait | null> {
    return typicalWait(this.deps);
  }

  /** Counts an answer that did not help (`failed`), or resets the count; returns the failures in a row. */
  async countFailure(conversation: string, failed: boolean): Promise<number> {
    return this.deps.store.countFailure(conversation, failed);
  }

  /** /forget all and the deletion callback: pauses, handles and what targets keep (desk-privacy.ts). */
  forget(conversations: string[]): Promise<void> {
    return forgetConversations({ ...this.deps, now: this.now }, conversations, (c) => this.handleOf(c));
  }

  /** /export: what each target keeps about the conversation, by target. */
  kept(conversation: string): Promise<Array<{ target: string; kept: object }>> {
    return keptByTargets(this.deps.targets, this.handleOf(conversation));
  }

  /** The last handoff of this conversation that ended (for /why), if it is still remembered. */
  async lastEnded(conversation: string): Promise<EndedHandoff | null> {
    return this.deps.store.lastEnded(conversation);
  }

  /** The conversation a helpdesk's handle stands for, while it is handed off. */
  async conversationOf(handle: string): Promise<string | null> {
    return this.deps.store.conversationOf(handle);
  }

  /**
   * An agent's message for the person. `/bot` gives the conversation back instead. Delivered once
   * per `agentMessageId` (a replay is acknowledged, not sent again); refused when the conversation
   * is not handed off or its window has closed (agent-reply.ts: 24 hours, or 7 under HUMAN_AGENT).
   */
  async agentReplied(
    conversation: string,
    text: string,
    agentMessageId: string,
    from?: HandoffTarget['name'],
  ): Promise<AgentReplyResult> {
    const state = await this.current(conversation);
    if (!state) return { delivered: false, reason: 'not-handed-off', detail: 'this conversation is not with a person' };
    const words = text.trim();
    if (words.toLowerCase() === '/bot') {
      await this.giveBack(conversation, 'bot', from);
      return { delivered: false, reason: 'returned', detail: 'the assistant has the conversation again' };
    }
    if (!words) return { delivered: false, reason: 'empty', detail: 'the reply has no text' };
    const open = agentWindow(state.platform, state.lastPersonAt, this.now(), this.deps.humanAgentTag ?? false);
    if (!open.open) return { delivered: false, reason: 'window-closed', detail: open.detail };
    if (!(await this.deps.store.firstSight(conversation, agentMessageId))) return { delivered: true, duplicate: true };
    try {
      await this.deps.sendToPerson(state, words, agentReplyKey(state.handle, agentMessageId), open.tag);
    } catch (error) {
      await this.deps.store.unsee(conversation, agentMessageId);
      throw error;
    }
    await this.agentSpoke(state, from ?? state.targets[0] ?? 'unknown');
    return { delivered: true, duplicate: false };
  }

  /**
   * The platform refused an agent's reply the send queue tried (`answering`: its send key): the
   * agent's inbox is told once, in order with the person's messages. Other sends are not the desk's.
   */
  async replyRefused(conversation: string, answering: string, failure: SendFailure['kind']): Promise<void> {
    if (await logNotSent(conversation, answering, failure, this.deps)) {
      await this.drain(conversation).catch(this.drainLater);
    }
  }

  private readonly drainLater = (err: unknown): void => {
    this.deps.logger.warn({ err }, 'not delivered to the inbox yet; the next message retries');
  };

  /** An agent spoke (or took the thread on their own side): the idle return runs from now; the first reply is timed. */
  async agentSpoke(state: PausedState, target: string): Promise<void> {
    const now = this.now();
    const fresh = (await this.deps.store.read(state.conversation)) ?? state;
    if (fresh.firstAgentAt === undefined) await timeFirstReply(this.deps, fresh, target, now);
    await this.deps.store.write({ ...fresh, firstAgentAt: fresh.firstAgentAt ?? now, lastAgentAt: now });
  }
}
