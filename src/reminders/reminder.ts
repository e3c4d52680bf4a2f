import { z } from 'zod';
import { platformSchema } from '../core/inbound';
import { LANGUAGES } from '../i18n/languages';
import { REPEATS } from './zoned-time';

/**
 * One reminder as it is kept: what to say, when it is next due, how it repeats, the zone its
 * local time is kept in, the conversation it goes to and the language it is said in.
 */
export const MAX_REMINDER_CHARS = 300;

export const reminderSchema = z.object({
  id: z.string().min(1),
  text: z.string().min(1).max(MAX_REMINDER_CHARS),
  /** the next occurrence (ms since the epoch) */
  dueAt: z.number().int().nonnegative(),
  repeat: z.enum(REPEATS as [string, ...string[]]).optional(),
  zone: z.string().min(1),
  to: z.object({ platform: platformSchema, channelId: z.string(), userId: z.string() }),
  language: z.enum(LANGUAGES),
  createdAt: z.number().int().nonnegative(),
});
export type Reminder = Omit<z.infer<typeof reminderSchema>, 'repeat'> & {
  repeat?: 'daily' | 'weekly' | 'weekdays';
};
