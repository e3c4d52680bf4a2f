import type { LimitSpec } from '../../config';
import type { LimitStatus, Refusal } from '../limits/fair-use-limiter';
import { modeNames, type Mode, type ModeChoice } from '../core/modes';
import type { MessageKey } from '../i18n/catalogues';
import { LANGUAGES } from '../i18n/languages';
import { translatorFor, type Translator } from '../i18n/translator';
import { HELP_LINES, modeCommand } from './commands';

/**
 * What the bot says about modes, commands and limits: short, friendly, specific about what
 * happened and what the person can do next (same voice as src/core/reply-texts.ts). The words are
 * in the catalogues (src/i18n/catalogues); these functions pick the messages and fill them in.
 */

const PITCH: Record<ModeChoice, MessageKey> = {
  auto: 'mode.pitch.auto',
  fast: 'mode.pitch.fast',
  thinking: 'mode.pitch.thinking',
  contemplating: 'mode.pitch.contemplating',
  shopping: 'mode.pitch.shopping',
};

/** "fast", "rápido": a mode as the person's language names it. */
export const modeName = (t: Translator, mode: ModeChoice): string => t('mode.name', { mode });

/** "in 40 seconds", "in 12 minutes", "in 3 hours 5 minutes", "in 2 days" (rounded up) */
export function formatWait(t: Translator, ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return t('wait.seconds', { count: seconds });
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 60) return t('wait.minutes', { count: minutes });
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours < 48) return rest ? t('wait.hoursMinutes', { hours, minutes: rest }) : t('wait.hours', { count: hours });
  return t('wait.days', { count: Math.ceil(hours / 24) });
}

/** "60 per hour", "5 per day", "10 per 30 seconds" */
export function describeSpec(t: Translator, spec: LimitSpec): string {
  const { count, windowSeconds } = spec;
  for (const [size, key] of [
    [86_400, 'spec.days'],
    [3600, 'spec.hours'],
    [60, 'spec.minutes'],
  ] as const) {
    if (windowSeconds % size === 0) return t(key, { count, window: windowSeconds / size });
  }
  return t('spec.seconds', { count, window: windowSeconds });
}

export const modeTexts = {
  /** `usual`: the deployment's default (DEFAULT_MODE), which "switch back" goes to */
  switched(t: Translator, mode: ModeChoice, spec: LimitSpec | null, usual: ModeChoice = 'fast'): string {
    return [
      t('mode.switched', { mode: modeName(t, mode), pitch: t(PITCH[mode]) }),
      ...(spec ? [t('mode.allowance', { spec: describeSpec(t, spec) })] : []),
      ...(mode === 'auto' ? [t('mode.autoExplained')] : []),
      ...(mode === usual ? [] : [t('mode.switchBack', { command: modeCommand(usual) })]),
    ].join(' ');
  },

  /** The short help: what most people want, and where the rest is. `shopOpen`: a catalog is configured. */
  help(t: Translator, shopOpen: boolean): string {
    return [
      t('help.short'),
      '',
      `• ${t('help.think')}`,
      `• ${t(shopOpen ? 'help.shop' : 'help.memory')}`,
      `• ${t('help.privacy')}`,
      '',
      t('help.more'),
    ].join('\n');
  },

  /** `/help all`: auto and every mode with its limit, then every other command. `specs` names the modes offered. */
  helpAll(t: Translator, current: ModeChoice, specs: Partial<Record<Mode, LimitSpec | null>>): string {
    const auto = t('help.modeLine', { command: modeCommand('auto'), pitch: t(PITCH.auto) });
    const modes = modeNames
      .filter((mode) => mode in specs)
      .map((mode) => {
        const spec = specs[mode];
        const line = { command: modeCommand(mode), pitch: t(PITCH[mode]) };
        return spec ? t('help.modeLineLimit', { ...line, spec: describeSpec(t, spec) }) : t('help.modeLine', line);
      });
    return [
      t('help.modesHeader', { mode: modeName(t, current) }),
      auto,
      ...modes,
      '',
      t('help.commandsHeader'),
      ...HELP_LINES.map((key) => t(key)),
    ].join('\n');
  },

  reset: (t: Translator) => t('mode.reset'),

  limits(t: Translator, current: ModeChoice, statuses: LimitStatus[], exempt: boolean): string {
    const mode = modeName(t, current);
    if (exempt) return t('limits.exempt', { mode });
    if (statuses.length === 0) return t('limits.none', { mode });
    const lines = statuses.map((s) => {
      const label = t('limits.label', {
        limit: s.limit,
        mode: s.limit === 'burst' || s.limit === 'daily' || s.limit === 'global' ? '' : modeName(t, s.limit),
      });
      const line = { label, remaining: s.remaining, spec: describeSpec(t, s.spec) };
      return s.resetsInMs === null
        ? t('limits.line', line)
        : t('limits.lineResets', { ...line, when: formatWait(t, s.resetsInMs) });
    });
    return [t('limits.header', { mode }), ...lines].join('\n');
  },

  unknownCommand: (t: Translator, command: string) => t('command.unknown', { command }),

  refused(t: Translator, refusal: Refusal): string {
    const when = formatWait(t, refusal.resetsInMs);
    const spec = describeSpec(t, refusal.spec);
    if (refusal.limit === 'global') return t('limits.refusedGlobal', { when });
    if (refusal.limit === 'burst') return t('limits.refusedBurst', { spec, when });
    if (refusal.limit === 'daily') return t('limits.refusedDaily', { spec, when });
    const refused = t('limits.refusedMode', { mode: modeName(t, refusal.limit), spec, when });
    return refusal.limit === 'fast' ? refused : `${refused} ${t('limits.meanwhileFast')}`;
  },

  /** a message held by the burst limit: it and the ones after it are answered when the window reopens */
  held: (t: Translator, refusal: Refusal) =>
    t('limits.held', { spec: describeSpec(t, refusal.spec), when: formatWait(t, refusal.resetsInMs) }),

  /** the line under an answer to `/think <question>` (and the other modes): the mode stays on until `usual` */
  answeredIn: (t: Translator, mode: Mode, usual: ModeChoice = 'fast') =>
    `\n\n${
      mode === 'fast' && usual === 'fast'
        ? t('mode.answeredInFast')
        : t('mode.answeredIn', { mode: modeName(t, mode), command: modeCommand(usual) })
    }`,

  /** under an answer auto gave fast because thinking's limit is spent (said once per window) */
  autoThinkingSpent: (t: Translator, refusal: Refusal) =>
    t('mode.autoThinkingSpent', { spec: describeSpec(t, refusal.spec), when: formatWait(t, refusal.resetsInMs) }),

  stillThinking: (t: Translator) => t('mode.stillThinking'),
  forgetUsage: (t: Translator) => t('command.forgetUsage'),
  questionExpired: (t: Translator) => t('command.questionExpired'),
  noCatalog: (t: Translator) => t('mode.noCatalog'),
  catalogNotReady: (t: Translator) => t('mode.catalogNotReady'),
  welcome: (t: Translator) => t('command.welcome'),
};

/** "English (en), Español (es), …": the languages as each names itself, with the code to send. */
const languageChoices = (): string =>
  LANGUAGES.map((language) => `${translatorFor(language)('language.self')} (${language})`).join(', ');

export const languageTexts = {
  current: (t: Translator) => t('language.current', { choices: languageChoices() }),
  set: (t: Translator) => t('language.set'),
  unknown: (t: Translator, code: string) => t('language.unknown', { code, choices: languageChoices() }),
};
