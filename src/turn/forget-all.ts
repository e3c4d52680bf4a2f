import { privacyTexts } from '../commands/privacy-texts';
import { YES_NO_CHOICES, type YesNo } from '../commands/yes-no';
import { modeOwner, notice, type TurnContext } from './context';
import type { TurnDependencies } from './dependencies';
import type { CommandAnswer } from './run-command';

/** The pending question `/forget all` asks (src/turn/answer-pending.ts routes its answer here). */
export const FORGET_ALL_QUESTION = 'forget-all';

/** `/forget all`: asks the person to confirm; nothing is erased until they say yes. */
export async function forgetAll(turn: TurnContext, deps: TurnDependencies): Promise<CommandAnswer> {
  await deps.pendingQuestions.ask(turn.conversation, { kind: FORGET_ALL_QUESTION });
  return {
    outcome: notice(privacyTexts.forgetAllAsk, 'command:forget-all'),
    mode: await deps.modeStore.get(modeOwner(turn)),
    choices: YES_NO_CHOICES,
  };
}

/**
 * The answer to "erase everything?". Yes erases every account the person linked: history, memory,
 * mode, links, counters, their jobs and ledger entries. This turn's own message and lock are
 * spared while it runs; the send job of the confirmation erases what is left of this exchange
 * once the confirmation is out (`eraseAfterSend`), so nothing about them outlives the reply.
 */
export async function answerForgetAll(
  answer: YesNo,
  turn: TurnContext,
  deps: TurnDependencies,
): Promise<CommandAnswer> {
  if (answer === 'no') {
    return {
      outcome: notice(privacyTexts.forgetAllKept, 'forget-all:no'),
      mode: await deps.modeStore.get(modeOwner(turn)),
    };
  }
  const person = turn.person ?? (await deps.people.personOf(turn.message));
  const accounts = await deps.people.accountsOf(person);
  await deps.links.forgetCodes(accounts);
  const summary = await deps.erasure.eraseAccounts(accounts, {
    spareMessage: turn.messageKey,
    spareKeys: [deps.keys.turnLock(turn.conversation)],
  });
  turn.eraseAfterSend = accounts;
  deps.logger.info({ accounts: accounts.length, ...summary }, 'person erased on request');
  return { outcome: notice(privacyTexts.forgetAllDone, 'forget-all:done'), mode: deps.modeStore.defaultChoice };
}
