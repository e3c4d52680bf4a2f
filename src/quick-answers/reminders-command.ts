import { reminderTexts } from '../commands/reminder-texts';
import type { TurnContext } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';
import type { CommandAnswer } from './command-answer';
import { noticeAnswer } from './fixed-notice';

/** The person's reminders, and the mode a notice answers in. */
export type RemindersDeps = Pick<TurnDependencies, 'reminders' | 'modeStore'>;

/** The words after `/reminders` that cancel one (`/reminders cancel 2`), in the languages people use. */
const CANCEL =
  /^(?:cancel|delete|remove|cancelar|borrar|eliminar|apagar|annuler|supprimer|l[öo]schen|abbrechen|annulla|elimina|batal|hapus|रद्द|إلغاء|الغاء)\s+#?(\d{1,3})$/iu;

/**
 * `/reminders` lists the person's pending reminders, soonest first and numbered, in their local
 * time; `/reminders cancel 2` cancels the second of that list, job and all.
 */
export async function runReminders(
  argument: string | undefined,
  turn: TurnContext,
  deps: RemindersDeps,
): Promise<CommandAnswer> {
  const { t } = turn;
  if (deps.reminders.max === 0) return noticeAnswer(reminderTexts.off(t), 'command:reminders-off', turn, deps);
  const { person } = turn;
  const reminders = await deps.reminders.store.list(person);
  const words = argument?.trim() ?? '';
  const cancel = CANCEL.exec(words);
  if (!cancel) {
    const reason = words === '' ? 'command:reminders' : 'command:reminders-usage';
    return noticeAnswer(reminderTexts.list(t, reminders), reason, turn, deps);
  }
  const chosen = reminders[Number(cancel[1]) - 1];
  if (!chosen) return noticeAnswer(reminderTexts.cancelUnknown(t, cancel[1]!), 'command:reminders-unknown', turn, deps);
  await deps.reminders.cancel(person, chosen);
  return noticeAnswer(reminderTexts.cancelled(t, chosen.text), 'command:reminders-cancel', turn, deps);
}
