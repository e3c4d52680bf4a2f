import type { Translator } from '../i18n/translator';
import { appName } from './privacy-texts';

/**
 * What the bot says about reminders: the confirmation in the person's words and local time, the
 * refusals the platforms' rules call for (said when the reminder is asked for, never silently at
 * its minute), the `/reminders` list and the reminder itself. The words are in the catalogues.
 */

export type RepeatWord = 'daily' | 'weekly' | 'weekdays';

/** A moment as the person reads it: full date and short time, in their language and zone. */
export function localMoment(t: Translator, at: number, zone: string): string {
  const format = new Intl.DateTimeFormat(t.language, { dateStyle: 'full', timeStyle: 'short', timeZone: zone });
  return format.format(new Date(at));
}

/** A zone as people say it: the city of `Europe/Madrid`, `UTC` as is. */
export const zoneName = (zone: string): string => (zone.split('/').at(-1) ?? zone).replace(/_/g, ' ');

export interface ReminderView {
  text: string;
  dueAt: number;
  zone: string;
  repeat?: RepeatWord;
}

export const reminderTexts = {
  set: (t: Translator, r: ReminderView): string => {
    const values = { when: localMoment(t, r.dueAt, r.zone), zone: zoneName(r.zone), text: r.text };
    return r.repeat ? t('reminder.setRepeating', { ...values, repeat: r.repeat }) : t('reminder.set', values);
  },
  zoneGuessed: (t: Translator) => t('reminder.zoneGuessed'),
  windowCaveat: (t: Translator, platform: string) => t('reminder.windowCaveat', { app: appName(platform) }),
  refusedWindow: (t: Translator, platform: string) => t('reminder.refusedWindow', { app: appName(platform) }),
  refusedFull: (t: Translator, max: number) => t('reminder.refusedFull', { max }),
  list: (t: Translator, reminders: ReminderView[]): string => {
    if (reminders.length === 0) return t('reminder.listEmpty');
    const lines = reminders.map((r, i) =>
      t('reminder.listLine', {
        n: i + 1,
        when: localMoment(t, r.dueAt, r.zone),
        repeat: r.repeat ?? 'none',
        text: r.text,
      }),
    );
    return [t('reminder.listHeading'), ...lines, t('reminder.listFooter')].join('\n');
  },
  cancelled: (t: Translator, text: string) => t('reminder.cancelled', { text }),
  cancelUnknown: (t: Translator, n: string) => t('reminder.cancelUnknown', { n }),
  due: (t: Translator, text: string) => t('reminder.due', { text }),
  off: (t: Translator) => t('reminder.off'),
};
