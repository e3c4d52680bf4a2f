import { listIn, type Translator } from '../i18n/translator';

/**
 * What the bot says about what it keeps and about the person's rights over it (/privacy,
 * /forget all, /export, /link, /unlink): plain words, the real lifetimes, and the command that
 * does each thing. The words are in the catalogues (src/i18n/catalogues).
 */

export interface RetentionFacts {
  /** who runs the assistant, when configured */
  businessName: string | undefined;
  historyDays: number;
  /** per-message records (answered marks, fair-use decisions) */
  recordHours: number;
  /** a person from the team can take a chat over (HANDOFF_TARGET): how long a silent agent keeps it */
  handoffIdleHours?: number;
}

/** What /export found, counted for the summary sent beside the data. */
export interface ExportFigures {
  conversations: number;
  messages: number;
  /** the apps those conversations are on */
  apps: string[];
  memoryOn: boolean;
  facts: number;
  mode: string;
  /** apps joined with /link, beside this one */
  linkedApps: string[];
}

const APP_NAMES: Record<string, string> = { whatsapp: 'WhatsApp', messenger: 'Messenger', instagram: 'Instagram' };
export const appName = (platform: string): string => APP_NAMES[platform] ?? platform;

export const privacyTexts = {
  privacy: (t: Translator, facts: RetentionFacts): string =>
    [
      facts.businessName ? t('privacy.headerBusiness', { business: facts.businessName }) : t('privacy.header'),
      t('privacy.conversation', { days: facts.historyDays }),
      t('privacy.memory'),
      t('privacy.mode'),
      t('privacy.language'),
      t('privacy.links'),
      t('privacy.reminders'),
      ...(facts.handoffIdleHours ? [t('privacy.handoff', { hours: facts.handoffIdleHours })] : []),
      t('privacy.records', { hours: facts.recordHours }),
      t('privacy.countersKept', { hours: facts.recordHours }),
      t('privacy.where'),
      t('privacy.rights'),
    ].join('\n'),
  exportAbout: (t: Translator) => t('privacy.exportAbout'),
  exportCaption: (t: Translator) => t('privacy.exportCaption'),
  exportSent: (t: Translator, filename: string) => t('privacy.exportSent', { filename }),
  exportFailed: (t: Translator) => t('privacy.exportFailed'),
  exportAsText: (t: Translator) => t('privacy.exportAsText'),
  exportSummary: (t: Translator, f: ExportFigures, mode: string): string =>
    [
      t('privacy.exportSummaryHeader'),
      t('privacy.exportSummaryConversations', {
        conversations: f.conversations,
        messages: f.messages,
        apps: f.apps.length > 0 ? ` (${listIn(t, f.apps.map(appName))})` : '',
      }),
      t('privacy.exportSummaryMemory', { on: f.memoryOn ? 'yes' : 'no', facts: f.facts }),
      t('privacy.exportSummaryMode', { mode }),
      ...(f.linkedApps.length > 0
        ? [t('privacy.exportSummaryLinked', { apps: listIn(t, f.linkedApps.map(appName)) })]
        : []),
    ].join('\n'),
  exportLink: (t: Translator, url: string, minutes: number) => t('privacy.exportLink', { url, minutes }),
  exportPageTitle: (t: Translator) => t('privacy.exportPageTitle'),
  exportPageReady: (t: Translator, until: string) => t('privacy.exportPageReady', { until }),
  exportPageButton: (t: Translator) => t('privacy.exportPageButton'),
  exportPageGone: (t: Translator) => t('privacy.exportPageGone'),
  exportTooLongForText: (t: Translator) => t('privacy.exportTooLongForText'),
  forgetAllAsk: (t: Translator) => t('privacy.forgetAllAsk'),
  forgetAllDone: (t: Translator) => t('privacy.forgetAllDone'),
  forgetAllKept: (t: Translator) => t('privacy.forgetAllKept'),
  linkCode: (t: Translator, code: string, minutes: number) => t('link.code', { code, minutes }),
  linked: (t: Translator, others: string[]) => t('link.linked', { apps: listIn(t, others) }),
  linkedFromElsewhere: (t: Translator, app: string) => t('link.linkedFromElsewhere', { app }),
  linkWrong: (t: Translator) => t('link.wrong'),
  linkTooManyTries: (t: Translator) => t('link.tooManyTries'),
  linkOwnCode: (t: Translator) => t('link.ownCode'),
  linkAlreadyLinked: (t: Translator) => t('link.alreadyLinked'),
  unlinked: (t: Translator) => t('link.unlinked'),
  unlinkedElsewhere: (t: Translator, app: string) => t('link.unlinkedElsewhere', { app }),
  notLinked: (t: Translator) => t('link.notLinked'),
};
