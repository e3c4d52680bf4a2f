import type { Control } from '../core/inbound';
import { takenElsewhere } from '../handoff/taken-elsewhere';
import type { TurnStart } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';

/** The ledger, inbox and window a control event settles. */
export type SettleControlDeps = Pick<
  TurnDependencies,
  'stateRedis' | 'ledger' | 'turnOrder' | 'window' | 'handoff' | 'people' | 'languages' | 'defaultLanguage'
>;

/**
 * An event about who answers the conversation (`message.control`: a handover, a delivery on
 * standby, a business's own reply echoed) is never answered: no read receipt, no typing, no
 * charge, no reply. It leaves the inbox like an answered message, in the conversation's order, so
 * what it changes applies to the messages behind it. A person's message delivered on standby
 * reopens a messaging window found closed, as any message of theirs does. The handoff's pause
 * (`taken`, `business-echo`) and return (`given-back`) act here.
 */
export async function settleControl(turn: TurnStart, control: Control, deps: SettleControlDeps): Promise<string> {
  const { message, conversation, messageKey } = turn;
  const multi = deps.stateRedis.multi();
  deps.ledger.markAnsweredIn(multi, conversation, messageKey);
  deps.turnOrder.finishIn(multi, conversation, messageKey);
  if (control.via === 'standby' && control.businessText === undefined) {
    deps.window.reopenIn(multi, conversation, message.timestamp);
  }
  await multi.exec();
  await pauseOrReturn(turn, control, deps);
  turn.log.info({ platform: message.platform, control: control.kind, via: control.via }, 'control event: not answered');
  return `control-${control.kind}`;
}

/**
 * Taken (Meta's inbox took the thread, the business wrote from the WhatsApp Business app): the
 * assistant steps aside as if handed off. Given back: it answers again, and says so, if it had
 * stepped aside (Meta also passes control for conversations that were never paused).
 */
async function pauseOrReturn(turn: TurnStart, control: Control, deps: SettleControlDeps): Promise<void> {
  if (control.kind === 'given-back') {
    await deps.handoff.giveBack(turn.conversation, 'resolved');
    return;
  }
  const stored = await deps.languages.get(await deps.people.personOf(turn.message));
  const language = stored && stored !== 'unknown' ? stored.language : deps.defaultLanguage;
  const by = turn.message.platform === 'whatsapp' && control.via === 'echo' ? 'business-app' : 'meta-inbox';
  await takenElsewhere(deps.handoff, turn.message, { askedBy: turn.messageKey, language, by });
}
