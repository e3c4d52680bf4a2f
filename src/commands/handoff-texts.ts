import type { Translator } from '../i18n/translator';

/**
 * What the person is told when a person from the team takes the chat over, and when the
 * assistant has it back: honest about who answers and when. The words are in the catalogues.
 */

/** When agents are in, as the person reads it (formatted in their language and the business's clock). */
export type AgentHours =
  { kind: 'anytime' } | { kind: 'open'; hours: string } | { kind: 'closed'; hours: string; opensAt: string };

/** How long agents usually take to reply (src/handoff/reply-times.ts), when there is a figure. */
export type UsualWait = { unit: 'minutes' | 'hours'; count: number } | null;

const waitIn = (t: Translator, wait: NonNullable<UsualWait>): string =>
  t(wait.unit === 'hours' ? 'handoff.wait.hours' : 'handoff.wait.minutes', { count: wait.count });

export const handoffTexts = {
  /** The usual wait is said only while the team is in (or keeps no hours): away, the opening time is what counts. */
  requested: (t: Translator, hours: AgentHours, usually: UsualWait = null): string => {
    if (hours.kind === 'closed') return t('handoff.requested.closed', { hours: hours.hours, when: hours.opensAt });
    if (hours.kind === 'open') {
      if (usually) return t('handoff.requested.openUsually', { hours: hours.hours, wait: waitIn(t, usually) });
      return t('handoff.requested.open', { hours: hours.hours });
    }
    if (usually) return t('handoff.requested.anytimeUsually', { wait: waitIn(t, usually) });
    return t('handoff.requested.anytime');
  },
  unavailable: (t: Translator): string => t('handoff.unavailable'),
  back: (t: Translator): string => t('handoff.back'),
  talkToAPerson: (t: Translator): string => t('choice.human'),
  handedOff: (t: Translator, since: string, until: string): string => t('why.handedOff', { since, until }),
  privacyLine: (t: Translator, hours: number): string => t('privacy.handoff', { hours }),
};
