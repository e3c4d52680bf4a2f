/**
 * Handing a conversation to a person, and taking it back. The API the targets and the turn use:
 *
 *   const desk = new HandoffDesk({ store, targets, sendToPerson, metrics, logger, idleSeconds, handleKey })
 *
 *   desk.enabled                                   any HANDOFF_TARGET configured
 *   desk.handleOf(conversation)                    the opaque id helpdesks see (keyed hash of conversationKey)
 *   desk.conversationOf(handle)                    conversationKey for a handle, while handed off (else null)
 *   desk.stepAside(to, { reason, detail?, askedBy, language, transcript })
 *        → { handedTo: ['webhook', ...], handle } | { handedTo: [], why: 'off' | 'no-target' }
 *        records the pause (idempotent per conversation), queues `requested` for each target
 *        that serves the platform and delivers it (a failure is retried by the next drain)
 *   desk.current(conversation) → PausedState | null   who has it; an idle pause (HANDOFF_IDLE_HOURS
 *        since the last agent message, or since the handoff) is given back here ('idle')
 *   desk.isPaused(conversation) → boolean
 *   desk.forward(state, messageKey, { from: 'person', text, at })   a message during the pause:
 *        logged once per messageKey, delivered to every target in order; throws if a target
 *        refused (kept for the retry)
 *   desk.drain(conversation)                       delivers whatever the targets have not taken
 *   desk.agentReplied(conversation, text, agentMessageId, from?)
 *        → { delivered: true, duplicate } | { delivered: false, reason, detail }
 *        sends the agent's text to the person through the send queue, once per agentMessageId;
 *        reason 'window-closed' (the person last wrote over 24 h ago; on Messenger and Instagram
 *        over 7 days, the reply going under HUMAN_AGENT after 24 h), 'not-handed-off', 'empty';
 *        the text `/bot` gives the conversation back instead (reason 'returned')
 *   desk.replyRefused(conversation, answering, failureKind)   the send queue's word that the
 *        platform refused an agent's reply: the targets hear `notSent`, in order, once
 *   desk.returnIdle() / desk.watchIdle()           gives back every idle pause (the worker watches)
 *   desk.forget(conversations)                     /forget all: pauses and their handles erased
 *   desk.lastEnded(conversation)                   the last handoff that ended (/why)
 *   desk.giveBack(conversation, 'resolved' | 'bot' | 'idle') → boolean   clears the pause, tells
 *        the person the assistant is back (once), tells the targets (`returned`), counts it
 *
 * `PausedState` (handoff-state.ts): conversation, handle, platform, channelId, userId, targets,
 * reason, since, lastPersonAt, firstAgentAt?, lastAgentAt?, language, askedBy. A target that
 * hears of an agent message or a resolution calls `agentReplied` / `giveBack` with
 * `conversationOf(handle)`; one that learns the agent took over on its own side (Meta's inbox,
 * a WhatsApp Business app echo) calls `stepAside` with reason 'other'.
 */
export {
  HandoffDesk,
  type AgentReplyResult,
  type ReturnReason,
  type StepAside,
  type StepAsideRequest,
} from './handoff-desk';
export { HandoffStore, handoffKeys, type PausedState, type EndedHandoff } from './handoff-state';
export { createQueuedSender, type HandoffAddress, type PersonSender } from './send-to-person';
export { availability, hoursIn, openingIn, type Availability } from './business-hours';
export type { HandoffLine, HandoffReason, HandoffRequest, HandoffTarget } from './handoff-target';
