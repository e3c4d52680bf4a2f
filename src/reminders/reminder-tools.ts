import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions';
import { z } from 'zod';
import { reminderTexts } from '../commands/reminder-texts';
import type { TurnTools } from '../grounding/grounding';
import { visibleAnswer } from '../inference/reasoning-text';
import type { Translator } from '../i18n/translator';
import type { KnownZone } from './person-zones';
import { MAX_REMINDER_CHARS } from './reminder';
import { parseReminder } from './reminder-parse';
import type { Asker, ReminderRequest, Reminders, SetOutcome } from './reminders';
import { isoInZone, isTimeZone, REPEATS } from './zoned-time';

/**
 * The reminder tools one turn offers the model: `set_reminder` (`text`, `at` as ISO 8601 with an
 * offset, optional `repeat`) and `set_time_zone` (an IANA name, once the person said where they
 * are). What the person reads is never the model's promise: each reminder set (or refused under
 * the platform's rules) adds our own sentence to `told`, in their language and local time, and
 * the turn answers with those. For servers without tools, `fromWords` reads the message itself.
 */
export const SET_REMINDER = 'set_reminder';
export const SET_TIME_ZONE = 'set_time_zone';
const YEAR_MS = 366 * 24 * 3600 * 1000;

const setReminderArguments = z.object({
  text: z.string().trim().min(1).max(MAX_REMINDER_CHARS),
  at: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/),
  // strict-mode models send null (or "") for an option they leave out
  repeat: z.preprocess((value) => (value === '' ? null : value), z.enum(REPEATS as [string, ...string[]]).nullish()),
});
const setZoneArguments = z.object({ zone: z.string().trim().min(1).max(64) });

const REMINDER_TOOLS: ChatCompletionFunctionTool[] = [
  {
    type: 'function',
    function: {
      name: SET_REMINDER,
      description:
        'Set a reminder the person asked for: at the given time they receive a message with the text. Call it once per reminder.',
      parameters: {
        type: 'object',
        properties: {
          text: {
            type: 'string',
            description: 'what to remind them of, in their words and language, e.g. "call the dentist"',
          },
          at: { type: 'string', description: 'when, as ISO 8601 with the UTC offset, e.g. 2026-12-08T09:00:00+01:00' },
          repeat: {
            type: ['string', 'null'],
            enum: [...REPEATS, null],
            description: 'only when they asked for a repeating reminder; null: once',
          },
        },
        // every property required, the optional one nullable: OpenAI's strict mode (backend-presets.ts)
        required: ['text', 'at', 'repeat'],
        additionalProperties: false,
      },
    },
  },
  {
    type: 'function',
    function: {
      name: SET_TIME_ZONE,
      description: "Keep the person's time zone once they said where they are (their city or zone).",
      parameters: {
        type: 'object',
        properties: { zone: { type: 'string', description: 'an IANA time zone name, e.g. Europe/Madrid' } },
        required: ['zone'],
        additionalProperties: false,
      },
    },
  },
];

/** The tools' definitions, for the schema checks. */
export const REMINDER_TOOLS_FOR_TESTS: readonly ChatCompletionFunctionTool[] = REMINDER_TOOLS;

const answer = (value: Record<string, unknown>) => JSON.stringify(value);

/**
 * The model's words for the reminder as the person will read them (twice: now and at its minute):
 * reasoning taken out like from every answer, control characters and runs of spaces folded.
 */
function shownText(text: string): string {
  return visibleAnswer(text)
    .text.replace(/[\p{Cc}\s]+/gu, ' ')
    .trim();
}

export class ReminderTools implements TurnTools {
  toolsUnavailable?: boolean;
  /** what the person is told, by reminder (contemplating's drafts may set the same one twice) */
  private readonly said = new Map<string, string>();
  readonly tools = REMINDER_TOOLS;

  constructor(
    private readonly reminders: Reminders,
    private readonly asker: Asker,
    private zone: KnownZone | undefined,
    private readonly t: Translator,
    private readonly now: () => number = Date.now,
  ) {}

  get prompt(): string {
    const offer =
      'When the person asks to be reminded of something, call set_reminder; never promise a reminder without it.';
    if (!this.zone) {
      return `${offer} Their time zone is not known yet: before a reminder at a clock time, ask which city they are in, then call set_time_zone with its IANA name. It is now ${new Date(this.now()).toISOString()} (UTC).`;
    }
    const how = this.zone.source === 'told' ? 'as they told you' : 'guessed from their phone number';
    return `${offer} Their time zone is ${this.zone.zone} (${how}); it is now ${isoInZone(this.zone.zone, this.now())} there. Give \`at\` with that offset.`;
  }

  /** What the person is told, in order: each reminder set, or why one could not be. */
  get told(): string[] {
    return [...this.said.values()];
  }

  handles(name: string): boolean {
    return name === SET_REMINDER || name === SET_TIME_ZONE;
  }

  async run(name: string, argumentsJson: string): Promise<string> {
    let raw: unknown;
    try {
      raw = argumentsJson.trim() === '' ? {} : JSON.parse(argumentsJson);
    } catch {
      return answer({ error: 'arguments are not valid JSON' });
    }
    return name === SET_TIME_ZONE ? this.setZone(raw) : this.setReminder(raw);
  }

  /** The person's own words read without a model; true when they asked for a reminder these patterns know. */
  async fromWords(words: string): Promise<boolean> {
    if (!this.zone) return false;
    const parsed = parseReminder(words, this.zone.zone, this.now());
    if (!parsed) return false;
    await this.set(parsed);
    return true;
  }

  private async setZone(raw: unknown): Promise<string> {
    const args = setZoneArguments.safeParse(raw);
    if (!args.success || !isTimeZone(args.data.zone)) {
      return answer({ error: 'zone must be an IANA time zone name such as Europe/Madrid or America/New_York' });
    }
    await this.reminders.tellZone(this.asker.person, args.data.zone);
    this.zone = { zone: args.data.zone, source: 'told' };
    return answer({ ok: true, zone: args.data.zone, now_there: isoInZone(args.data.zone, this.now()) });
  }

  private async setReminder(raw: unknown): Promise<string> {
    const args = setReminderArguments.safeParse(raw);
    if (!args.success) {
      return answer({
        error: `invalid arguments: text (≤ ${MAX_REMINDER_CHARS} characters) and at (ISO 8601 with offset) are required`,
      });
    }
    const dueAt = Date.parse(args.data.at);
    const now = this.now();
    if (Number.isNaN(dueAt) || dueAt <= now)
      return answer({ error: `at is not in the future (now: ${new Date(now).toISOString()})` });
    if (dueAt > now + YEAR_MS) return answer({ error: 'at is more than a year away' });
    const repeat = args.data.repeat as ReminderRequest['repeat'];
    const text = shownText(args.data.text);
    if (!text) return answer({ error: 'text is empty' });
    const outcome = await this.set({ text, dueAt, ...(repeat ? { repeat } : {}) });
    if (outcome.kind === 'no-zone') {
      return answer({
        error:
          "the person's time zone is not known: ask which city they are in, then call set_time_zone and set_reminder again",
      });
    }
    if (outcome.kind === 'refused' && outcome.why === 'done')
      return answer({ error: 'this reminder was already delivered' });
    if (outcome.kind === 'refused') return answer({ error: `not set (${outcome.why}); the person is told why` });
    return answer({
      ok: true,
      set_for: isoInZone(outcome.reminder.zone, outcome.reminder.dueAt),
      the_person_is_told: true,
    });
  }

  private async set(request: ReminderRequest): Promise<SetOutcome> {
    const outcome = await this.reminders.set(request, this.asker);
    const { t } = this;
    const platform = this.asker.to.platform;
    if (outcome.kind === 'refused' && outcome.why !== 'done') {
      const why = outcome.why;
      if (why === 'full') this.said.set(why, reminderTexts.refusedFull(t, this.reminders.max));
      else this.said.set(why, why === 'window' ? reminderTexts.refusedWindow(t, platform) : reminderTexts.off(t));
    }
    if (outcome.kind !== 'set') return outcome;
    const lines = [reminderTexts.set(t, outcome.reminder)];
    if (outcome.onlyWhileWriting) lines.push(reminderTexts.windowCaveat(t, platform));
    if (outcome.zone.source === 'guessed') lines.push(reminderTexts.zoneGuessed(t));
    this.said.set(outcome.reminder.id, lines.join('\n'));
    return outcome;
  }
}
