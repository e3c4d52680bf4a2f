import { appName, privacyTexts } from '../commands/privacy-texts';
import { LINK_CODE_TTL_SECONDS, type RedeemResult } from '../people/account-links';
import { modeOwner, notice, type TurnContext } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';
import { tellConversation, type TellDeps } from '../outbound';
import type { CommandAnswer } from './command-answer';
import type { Translator } from '../i18n/translator';

export type LinkDeps = TellDeps & Pick<TurnDependencies, 'people' | 'links' | 'modeStore'>;

const REDEEM_REFUSALS: Record<Exclude<RedeemResult['kind'], 'linked'>, (t: Translator) => string> = {
  wrong: privacyTexts.linkWrong,
  'too-many-tries': privacyTexts.linkTooManyTries,
  'own-code': privacyTexts.linkOwnCode,
  'already-linked': privacyTexts.linkAlreadyLinked,
};

/**
 * `/link` gives a one-time code; `/link <code>` from another app joins this account to the
 * code's person. Both sides are told: here in the reply, the other conversations through the
 * send queue, so someone who links an account that is not theirs is seen doing it.
 */
export async function runLink(argument: string | undefined, turn: TurnContext, deps: LinkDeps) {
  const { message } = turn;
  const { person } = turn;
  if (!argument) {
    const code = await deps.links.createCode(message, person);
    return answer(privacyTexts.linkCode(turn.t, code, LINK_CODE_TTL_SECONDS / 60), 'command:link-code', turn, deps);
  }
  const result = await deps.links.redeem(argument, message, person);
  if (result.kind !== 'linked')
    return answer(REDEEM_REFUSALS[result.kind](turn.t), `command:link-${result.kind}`, turn, deps);
  turn.person = await deps.people.personOf(message);
  for (const [index, other] of result.others.entries()) {
    const text = privacyTexts.linkedFromElsewhere(turn.t, appName(message.platform));
    await tellConversation(other, text, `${turn.messageKey}-link-${index}`, deps);
  }
  const apps = [...new Set(result.others.map((other) => appName(other.platform)))];
  return answer(privacyTexts.linked(turn.t, apps), 'command:linked', turn, deps);
}

/** `/unlink`: the person's apps stop sharing (the whole group comes apart), and the others are told. */
export async function runUnlink(turn: TurnContext, deps: LinkDeps): Promise<CommandAnswer> {
  const result = await deps.links.unlink(turn.message);
  if (result.kind === 'not-linked') return answer(privacyTexts.notLinked(turn.t), 'command:unlink-none', turn, deps);
  turn.person = await deps.people.personOf(turn.message);
  for (const [index, other] of result.others.entries()) {
    const text = privacyTexts.unlinkedElsewhere(turn.t, appName(turn.message.platform));
    await tellConversation(other, text, `${turn.messageKey}-unlink-${index}`, deps);
  }
  return answer(privacyTexts.unlinked(turn.t), 'command:unlinked', turn, deps);
}

async function answer(
  text: string,
  reason: string,
  turn: TurnContext,
  deps: Pick<TurnDependencies, 'modeStore'>,
): Promise<CommandAnswer> {
  return { outcome: notice(text, reason), mode: await deps.modeStore.get(modeOwner(turn)) };
}
