import { z } from 'zod';
import type { Env } from './env';

/**
 * Reminders people ask for (docs/reminders.md): how many each person may have pending, and the
 * approved WhatsApp template that carries one outside the 24-hour window. Spread into the one
 * environment schema.
 */

/** `name:language`, e.g. `reminder:en_US`: an approved template with one body parameter, the reminder's text. */
const templateRef = z
  .string()
  .trim()
  .regex(/^[a-z0-9_]+:[A-Za-z]{2,3}(?:_[A-Za-z0-9]{2,4})?$/, 'expected name:language, e.g. reminder:en_US')
  .transform((value) => {
    const [name, language] = value.split(':');
    return { name: name!, language: language! };
  });

export const remindersEnvShape = {
  /** pending reminders per person; a new one past it is refused (0: reminders off) */
  REMINDERS_MAX: z.coerce.number().int().min(0).max(1000).default(20),
  /** unset: outside the window a WhatsApp reminder cannot go, and the person is told when they set it */
  REMINDER_TEMPLATE: z
    .string()
    .optional()
    .transform((value) => (value?.trim() ? value : undefined))
    .pipe(templateRef.optional()),
};

type RemindersEnv = Pick<Env, keyof typeof remindersEnvShape>;

export interface RemindersConfig {
  /** REMINDERS_MAX */
  max: number;
  /** REMINDER_TEMPLATE; null when unset */
  template: { name: string; language: string } | null;
}

export function remindersSettings(env: RemindersEnv): RemindersConfig {
  return { max: env.REMINDERS_MAX, template: env.REMINDER_TEMPLATE ?? null };
}
