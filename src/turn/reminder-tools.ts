import type { ChatMessage } from '../inference/chat-model';
import { mentionsReminder } from '../reminders/reminder-parse';
import { ReminderTools } from '../reminders/reminder-tools';
import type { TurnContext } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';

/**
 * Reminders in a turn (docs/reminders.md): the reminder tools are offered when the person's
 * message is about a reminder, or the one before it was (they may be answering "which city are
 * you in?"), so every other answer keeps its prompt and costs no tool schemas. After the model,
 * what the person reads about their reminders is ours, never the model's promise; a model
 * server without tools gets the person's words read by the fallback patterns instead.
 */
export async function reminderToolsFor(
  turn: Pick<TurnContext, 'person' | 'message' | 't' | 'messageKey'>,
  deps: Pick<TurnDependencies, 'reminders'>,
  words: string,
  past: ChatMessage[],
): Promise<ReminderTools | undefined> {
  const { reminders } = deps;
  if (!reminders || reminders.max === 0) return undefined;
  const lastAsked = [...past].reverse().find((entry) => entry.role === 'user');
  const earlier = typeof lastAsked?.content === 'string' ? lastAsked.content : '';
  if (!mentionsReminder(words) && !mentionsReminder(earlier)) return undefined;
  const { message } = turn;
  const { person } = turn;
  const to = { platform: message.platform, channelId: message.channelId, userId: message.userId };
  const zone = await reminders.zoneOf(person, to);
  const asker = { person, to, language: turn.t.language, messageKey: turn.messageKey, writtenAt: message.timestamp };
  return new ReminderTools(reminders, asker, zone, turn.t);
}

/** What the person reads about the reminders of this turn; undefined when none was asked for. */
export async function reminderAnswer(tools: ReminderTools | undefined, words: string): Promise<string | undefined> {
  if (!tools) return undefined;
  if (tools.toolsUnavailable && tools.told.length === 0) await tools.fromWords(words);
  return tools.told.length > 0 ? tools.told.join('\n\n') : undefined;
}
