import { modeChoicesBesides } from '../commands/commands';
import type { ModeChoice } from '../core/modes';
import type { Translator } from '../i18n/translator';
import type { ReplyChoice } from '../core/reply-choice';
import { modeOwner, type DecidedAnswer, type TurnContext } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';

/** What a command answers, and the mode the conversation is in afterwards: decide's `answered` decision. */
export type CommandAnswer = Omit<DecidedAnswer, 'kind'>;

/** What reading the conversation's mode reaches (the catalog: whether shopping is open). */
export type ModeDeps = Pick<TurnDependencies, 'modeStore' | 'catalog'>;

/** What a memory command reaches (the mode store: a notice is answered in the current mode). */
export type MemoryDeps = Pick<TurnDependencies, 'memory' | 'modeStore' | 'pendingQuestions'>;

/** The modes other than `mode`, as choices ("Shop" only where there is a catalog, "Auto" where it is the default). */
export const choicesBesides = (mode: ModeChoice | undefined, deps: ModeDeps, t: Translator): ReplyChoice[] =>
  modeChoicesBesides(mode, { shop: deps.catalog !== null, auto: deps.modeStore.defaultChoice === 'auto' }, t);

/**
 * The mode the person chose (or the default); shopping falls back to the default where the
 * catalog has gone from the config. `auto` is resolved per message by decide.
 */
export async function currentMode(turn: Pick<TurnContext, 'person'>, deps: ModeDeps): Promise<ModeChoice> {
  const mode = await deps.modeStore.get(modeOwner(turn));
  if (mode !== 'shopping' || deps.catalog) return mode;
  const usual = deps.modeStore.defaultChoice;
  return usual === 'shopping' ? 'fast' : usual;
}
