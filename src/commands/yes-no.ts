import type { InboundMessage } from '../core/inbound';
import type { ReplyChoice } from '../core/reply-choice';
import { LANGUAGES } from '../i18n/languages';
import { catalogueWords, translatorFor, type Translator } from '../i18n/translator';

/**
 * Answers to a yes/no question the bot asked: a tapped choice (its payload is `/yes` or `/no`) or a
 * short typed answer. Only whole short answers count, so "yes but what about Tuesday?" is a new
 * question for the model, not a confirmation. Typed answers are read in every shipped language
 * (each catalogue's `word.yes` and `word.no`): a person may answer "sí" before their language is known.
 */
export type YesNo = 'yes' | 'no';

export const yesNoChoices = (t: Translator): ReplyChoice[] => [
  { id: '/yes', title: t('choice.yes') },
  { id: '/no', title: t('choice.no') },
];

const TYPED = new Map<string, YesNo>(
  LANGUAGES.flatMap((language) => {
    const t = translatorFor(language);
    return [
      ...catalogueWords(t('word.yes')).map((word) => [word, 'yes'] as const),
      ...catalogueWords(t('word.no')).map((word) => [word, 'no'] as const),
    ];
  }),
);

export function yesNoIn(message: Pick<InboundMessage, 'text' | 'payload'>): YesNo | null {
  if (message.payload === '/yes') return 'yes';
  if (message.payload === '/no') return 'no';
  const typed = message.text
    ?.trim()
    .toLowerCase()
    .replace(/[.!,¡¿\s]+$/u, '')
    .replace(/^[/¡¿]/u, '');
  return (typed && TYPED.get(typed)) || null;
}
