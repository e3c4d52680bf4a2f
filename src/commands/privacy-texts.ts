/**
 * What the bot says about what it keeps and about the person's rights over it (/privacy,
 * /forget all, /export, /link, /unlink): plain words, the real lifetimes, and the command that
 * does each thing.
 */

export interface RetentionFacts {
  /** who runs the assistant, when configured */
  businessName: string | undefined;
  historyDays: number;
  /** per-message records (answered marks, fair-use decisions) */
  recordHours: number;
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

const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

const APP_NAMES: Record<string, string> = { whatsapp: 'WhatsApp', messenger: 'Messenger', instagram: 'Instagram' };
export const appName = (platform: string): string => APP_NAMES[platform] ?? platform;

export const privacyTexts = {
  privacy: (facts: RetentionFacts): string =>
    [
      `What I keep about you${facts.businessName ? ` (for ${facts.businessName})` : ''}, and for how long:`,
      `• This conversation, so I can follow it: ${facts.historyDays} days after your last message. /reset forgets it.`,
      '• What you asked me to remember (/memory lists it), only after you said yes; unused facts expire.',
      '• The mode you chose: a year after you last changed it.',
      '• Apps you linked with /link: a year; /unlink undoes it.',
      `• Counters for fair use and records that a message was answered: at most ${facts.recordHours} hours.`,
      'It is stored on the operator’s server (encrypted when they set a key), and your messages go to the AI model that writes my answers.',
      '/export sends you all of it as a file. /forget all erases all of it, on every linked app.',
    ].join('\n'),
  exportCaption: 'Everything I keep about you, as JSON.',
  exportSent: (filename: string): string =>
    `I sent you ${filename}: everything I keep about you, on every linked app. /forget all erases it.`,
  exportFailed: 'I could not send the file just now. Please try /export again in a few minutes.',
  exportAsText: 'All of it as JSON, in as few messages as Instagram allows (its chats cannot carry this file):',
  exportSummary: (f: ExportFigures): string =>
    [
      'What I keep about you:',
      `• ${count(f.conversations, 'conversation')}, ${count(f.messages, 'message')}${f.apps.length > 0 ? ` (${f.apps.map(appName).join(', ')})` : ''}`,
      `• Memory ${f.memoryOn ? 'on' : 'off'}, ${count(f.facts, 'remembered fact')}`,
      `• Mode: ${f.mode}`,
      ...(f.linkedApps.length > 0 ? [`• Linked apps: ${f.linkedApps.map(appName).join(', ')}`] : []),
    ].join('\n'),
  exportLink: (url: string, minutes: number): string =>
    `All of it as a file (JSON): ${url}\nThe link works once, for ${minutes} minutes. /forget all erases everything.`,
  exportPageTitle: 'Your data export',
  exportPageReady: (until: string): string =>
    `Everything this assistant keeps about you, as a JSON file. It can be downloaded once, until ${until} (UTC).`,
  exportPageButton: 'Download',
  exportPageGone: 'This link has expired or was already used. Send /export in the chat for a new one.',
  exportTooLongForText:
    'What I keep about you is too long to send as Instagram messages. Send /export from a linked WhatsApp or Messenger chat to get it as a file, or /reset to shorten this conversation.',
  forgetAllAsk:
    'Erase everything I keep about you: this conversation, what you asked me to remember, your mode, your linked apps and your counters, on every linked app? This cannot be undone.',
  forgetAllDone: 'Done: I erased everything I kept about you. If you write again, I start from nothing.',
  forgetAllKept: 'Nothing was erased.',
  linkCode: (code: string, minutes: number): string =>
    `Your link code is ${code}. Within ${minutes} minutes, send /link ${code} to me from your other app (WhatsApp, Messenger or Instagram). Your mode, limits and what I remember will then be shared; each chat keeps its own conversation.`,
  linked: (others: string[]): string =>
    `Linked with ${others.join(', ')}: your mode, limits and what I remember are now shared. /unlink undoes it.`,
  linkedFromElsewhere: (app: string): string =>
    `Your ${app} account was just linked to this chat. If that was not you, send /unlink.`,
  linkWrong: 'That code is not valid or has expired. Send /link on your other app for a new one.',
  linkTooManyTries: 'Too many wrong codes. Try again in an hour.',
  linkOwnCode: 'That code is from this same account. Send it from your other app.',
  linkAlreadyLinked: 'This account is already linked. Send /unlink first to link it elsewhere.',
  unlinked: 'Unlinked: this chat no longer shares mode, limits or memory with your other apps.',
  unlinkedElsewhere: (app: string): string => `Your ${app} account was unlinked from this chat.`,
  notLinked: 'This account is not linked to any other app. /link gives you a code to link one.',
};
