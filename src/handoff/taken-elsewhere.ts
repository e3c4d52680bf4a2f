import { conversationKey } from '../core/inbound';
import type { Language } from '../i18n/languages';
import type { HandoffDesk } from './handoff-desk';
import type { PausedState } from './handoff-state';
import type { HandoffAddress } from './send-to-person';

/**
 * A person took the thread on their own side (Meta's inbox, a reply typed in the WhatsApp
 * Business app on a coexistence number): the conversation is paused as if handed off, with no
 * target told (the business is already there). Each such event counts as the agent speaking, so
 * the idle return (HANDOFF_IDLE_HOURS) runs from the last one.
 */
export async function takenElsewhere(
  desk: HandoffDesk,
  to: HandoffAddress,
  taken: { askedBy: string; language: Language; by: string; now?: number },
): Promise<void> {
  const conversation = conversationKey(to);
  const now = taken.now ?? Date.now();
  const { platform, channelId, userId } = to;
  const state: PausedState = {
    ...{ conversation, handle: desk.handleOf(conversation), platform, channelId, userId },
    ...{ targets: [], reason: 'other', since: now, lastPersonAt: now },
    ...{ language: taken.language, askedBy: taken.askedBy },
  };
  await desk.agentSpoke(state, taken.by);
}
