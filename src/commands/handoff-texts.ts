import type { Translator } from '../i18n/translator';

/**
 * What the person is told when a person from the team takes the chat over, and when the
 * assistant has it back: honest about who answers and when. The words are in the catalogues.
 */

/** When agents are in, as the person reads it (formatted in their language and the business's clock). */
export type AgentHours =
  { kind: 'anytime' } | { kind: 'open'; hours: string } | { kind: 'closed'; hours: string; opensAt: string };

export const handoffTexts = {
  requested: (t: Translator, hours: AgentHours): string => {
    if (hours.kind === 'open') return t('handoff.requested.open', { hours: hours.hours });
    if (hours.kind === 'closed') return t('handoff.requested.closed', { hours: hours.hours, when: hours.opensAt });
    return t('handoff.requested.anytime');
  },
  unavailable: (t: Translator): string => t('handoff.unavailable'),
  back: (t: Translator): string => t('handoff.back'),
  talkToAPerson: (t: Translator): string => t('choice.human'),
  handedOff: (t: Translator, since: string, until: string): string => t('why.handedOff', { since, until }),
  privacyLine: (t: Translator, hours: number): string => t('privacy.handoff', { hours }),
};
