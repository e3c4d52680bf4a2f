import { memoryTexts } from '../commands/memory-texts';
import type { TurnContext } from '../turn-state/turn-context';
import { askYesNo } from './ask-yes-no';
import { keepFact } from './keep-fact';
import { noticeAnswer } from './fixed-notice';
import type { CommandAnswer, MemoryDeps } from './command-answer';
import { categoryOf } from '../memory/fact-category';

/**
 * `/memory` lists what is kept, numbered; `/memory on` explains what will be kept and asks (memory
 * is off until the person says yes); `/memory off` stops using it and asks whether to delete it.
 */
export async function runMemory(
  argument: string | undefined,
  turn: TurnContext,
  deps: MemoryDeps,
): Promise<CommandAnswer> {
  const person = turn.person;
  const word = argument?.trim().toLowerCase();
  const on = await deps.memory.isOn(person);
  if (word === undefined || word === '' || word === 'list') {
    const text = memoryTexts.list(turn.t, await deps.memory.facts(person), on);
    return noticeAnswer(text, 'command:memory', turn, deps);
  }
  if (word === 'on') {
    if (on) return noticeAnswer(memoryTexts.alreadyOn(turn.t), 'command:memory-on', turn, deps);
    const choices = await askYesNo({ kind: 'memory:consent' }, turn, deps);
    const text = memoryTexts.consentQuestion(turn.t, deps.memory.ttlDays);
    return noticeAnswer(text, 'command:memory-on', turn, deps, choices);
  }
  if (word === 'off') return turnOff(person, turn, deps);
  return noticeAnswer(memoryTexts.offUsage(turn.t), 'command:memory-usage', turn, deps);
}

async function turnOff(person: string, turn: TurnContext, deps: MemoryDeps): Promise<CommandAnswer> {
  await deps.memory.turnOff(person);
  const count = (await deps.memory.facts(person)).length;
  if (count === 0) return noticeAnswer(memoryTexts.turnedOff(turn.t), 'command:memory-off', turn, deps);
  const choices = await askYesNo({ kind: 'memory:off-delete' }, turn, deps);
  return noticeAnswer(memoryTexts.offDeleteQuestion(turn.t, count), 'command:memory-off', turn, deps, choices);
}

/** `/remember <fact>`: the person's own words, kept while memory is on. */
export async function runRemember(
  argument: string | undefined,
  turn: TurnContext,
  deps: MemoryDeps,
): Promise<CommandAnswer> {
  const text = argument?.trim() ?? '';
  if (text === '') return noticeAnswer(memoryTexts.rememberUsage(turn.t), 'command:remember-usage', turn, deps);
  return keepFact({ text, category: categoryOf(text) }, turn, deps);
}
