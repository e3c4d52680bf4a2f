import { privacyTexts } from '../commands/privacy-texts';
import type { YesNo } from '../commands/yes-no';
import { conversationKey } from '../core/inbound';
import { accountPerson } from '../people/person-directory';
import { modeOwner, notice, type TurnContext } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';
import { askYesNo } from './ask-yes-no';
import type { CommandAnswer } from './command-answer';

/** The pending question `/forget all` asks (src/quick-answers/open-question-reply.ts routes its answer here). */
export const FORGET_ALL_QUESTION = 'forget-all';

/** What erasing a person reaches. */
export type ForgetAllDeps = Pick<
  TurnDependencies,
  'modeStore' | 'people' | 'links' | 'erasure' | 'keys' | 'limiter' | 'handoff'
>;

/** `/forget all`: asks the person to confirm; nothing is erased until they say yes. */
export async function forgetAll(
  turn: TurnContext,
  deps: Pick<TurnDependencies, 'pendingQuestions' | 'modeStore'>,
): Promise<CommandAnswer> {
  const choices = await askYesNo({ kind: FORGET_ALL_QUESTION }, turn, deps);
  return {
    outcome: notice(privacyTexts.forgetAllAsk(turn.t), 'command:forget-all'),
    mode: await deps.modeStore.get(modeOwner(turn)),
    choices,
  };
}

/**
 * The answer to "erase everything?". Yes erases every account the person linked: history, memory,
 * mode, links, their jobs and ledger entries. Counts that protect everyone else (fair use, wrong
 * link codes) are named apart and stay; only the marks that the person was told of a refusal go,
 * so a limit that still holds says so again. This turn's own message and lock are
 * spared while it runs; the send job of the confirmation erases what is left of this exchange
 * once the confirmation is out (`eraseAfterSend`), so nothing about them outlives the reply.
 */
export async function answerForgetAll(answer: YesNo, turn: TurnContext, deps: ForgetAllDeps): Promise<CommandAnswer> {
  if (answer === 'no') {
    return {
      outcome: notice(privacyTexts.forgetAllKept(turn.t), 'forget-all:no'),
      mode: await deps.modeStore.get(modeOwner(turn)),
    };
  }
  const accounts = await deps.people.accountsOf(turn.person);
  await deps.links.forgetCodes(accounts);
  const conversations = (await deps.links.conversationsOf(turn.person)).map(conversationKey);
  await deps.handoff.forget([...new Set([turn.conversation, ...conversations])]);
  const summary = await deps.erasure.eraseAccounts(accounts, {
    spareMessage: turn.messageKey,
    spareKeys: [deps.keys.turnLock(turn.conversation)],
  });
  await deps.limiter.forgetNotices(accounts.map(accountPerson));
  turn.log.info({ accounts: accounts.length, ...summary }, 'person erased on request');
  return {
    outcome: notice(privacyTexts.forgetAllDone(turn.t), 'forget-all:done'),
    mode: deps.modeStore.defaultChoice,
    eraseAfterSend: accounts,
  };
}
