import type { ModeConfig } from '../../config';
import type { Platform } from '../core/inbound';
import type { Mode } from '../core/modes';
import { englishName, type Language } from '../i18n/languages';

/**
 * The system prompt a turn is answered with, chosen in one place: the mode's own prompt when the
 * operator set one (SYSTEM_PROMPT, SYSTEM_PROMPT_THINKING, ...), else the fast mode's prompt or
 * the built-in one, with the reasoning modes asked to take their time. Every prompt ends by naming
 * the person's language, so the answers stay in the language of the bot's own texts.
 */

const PLATFORM_NAMES: Record<Platform, string> = {
  whatsapp: 'WhatsApp',
  messenger: 'Messenger',
  instagram: 'Instagram',
};

const THINKING_SUFFIX =
  'Take the time to reason the question through and check your work before answering; then give the answer itself, clearly, as a chat message.';

export function builtInSystemPrompt(platform: Platform): string {
  return [
    `You are Threadline, a helpful assistant chatting with someone in ${PLATFORM_NAMES[platform]}.`,
    'Answer in the language the person writes in. Be direct and concise, as in a chat: short paragraphs,',
    'no tables, no headings, plain text.',
  ].join(' ');
}

/** The line that tells the model which language the person reads. */
export function languageLine(language: Language): string {
  const name = englishName(language);
  return `The person's language is ${name}: answer in ${name} unless they write to you in another language.`;
}

export function systemPromptFor(
  mode: Mode,
  settings: Pick<ModeConfig, 'systemPrompt'>,
  fastPrompt: string | undefined,
  platform: Platform,
  language: Language,
): string {
  const prompt = settings.systemPrompt ?? fastPrompt ?? builtInSystemPrompt(platform);
  const reasoning = settings.systemPrompt || mode === 'fast' || mode === 'shopping' ? '' : ` ${THINKING_SUFFIX}`;
  return `${prompt}${reasoning}\n\n${languageLine(language)}`;
}
