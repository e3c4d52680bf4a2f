import { FakeModel, type ChatBody, type ToolMove } from './fake-model';

/**
 * A tool-using model that sets reminders the way the tests phrase them: "remind me in N seconds
 * (or days) [and then every day] to X" calls set_reminder with `at` N seconds from now (and
 * `repeat: daily`), as a strict-mode model does (`repeat: null` when once); a city named alone ("Paris")
 * after the model asked for one calls set_time_zone and then set_reminder for the earlier request.
 * After its calls it answers with a promise of its own, which the person must never read.
 */
export const MODEL_PROMISE = 'Sure, I will remind you!';
export const CITY_QUESTION = 'Which city are you in?';

const CITIES: Record<string, string> = { paris: 'Europe/Paris', madrid: 'Europe/Madrid' };
const ASK = /in (\d+) (seconds?|days?)( and then every day)? to (.+)$/i;

const text = (content: unknown) => FakeModel.describe(content);

function request(words: string): { text: string; at: string; repeat: string | null } | undefined {
  const match = ASK.exec(words);
  if (!match) return undefined;
  const unit = match[2]!.startsWith('day') ? 86_400_000 : 1000;
  const at = new Date(Date.now() + Number(match[1]) * unit).toISOString();
  return { text: match[4]!, at, repeat: match[3] ? 'daily' : null };
}

export function reminderMoves(body: ChatBody): ToolMove {
  const messages = body.messages ?? [];
  const lastUserAt = messages.map((m) => m.role).lastIndexOf('user');
  const results = messages.slice(lastUserAt + 1).filter((m) => m.role === 'tool');
  if (results.length > 0) {
    const unknownZone = results.some((m) => String(m.content).includes('time zone is not known'));
    return { text: unknownZone ? CITY_QUESTION : MODEL_PROMISE };
  }
  const words = text(messages[lastUserAt]?.content);
  const asked = request(words);
  if (asked) return { toolCalls: [{ name: 'set_reminder', arguments: asked }] };
  const zone = CITIES[words.trim().toLowerCase()];
  const earlier = messages
    .slice(0, lastUserAt)
    .filter((m) => m.role === 'user')
    .map((m) => request(text(m.content)))
    .at(-1);
  if (zone && earlier) {
    return {
      toolCalls: [
        { name: 'set_time_zone', arguments: { zone } },
        { name: 'set_reminder', arguments: earlier },
      ],
    };
  }
  return { text: 'no reminder here' };
}

export const reminderModel = () => new FakeModel(FakeModel.echo, { tools: reminderMoves });
