import type { OpenQuestion } from '../conversation/pending-question';
import type { InboundMessage } from '../core/inbound';
import type { ReplyChoice } from '../core/reply-choice';
import { LANGUAGES } from '../i18n/languages';
import { catalogueWords, translatorFor, type Translator } from '../i18n/translator';

/**
 * Answers to a yes/no question the bot asked: a tap on one of its Yes/No buttons, or a short
 * typed answer written after the question reached the person. Each button's payload carries its
 * question's id (`/yes 3f2a…`), so a tap answers that question only; a tap on a button the bot
 * did not make (a template's quick reply, a business's own campaign) is the person's words like
 * any other message, whatever its title says. Only whole short typed answers count, so "yes but
 * what about Tuesday?" is a new question for the model, not a confirmation. Typed answers are read
 * in every shipped language (each catalogue's `word.yes` and `word.no`): a person may answer "sí"
 * before their language is known.
 */
export type YesNo = 'yes' | 'no';

/** The Yes/No buttons of question `questionId`. */
export function yesNoChoices(t: Translator, questionId: string): ReplyChoice[] {
  return [
    { id: `/yes ${questionId}`, title: t('choice.yes') },
    { id: `/no ${questionId}`, title: t('choice.no') },
  ];
}

const TAP = /^\/(yes|no)(?: ([0-9a-f]+))?$/;

/** A tap on a Yes/No button the bot made: the answer, and the question it asked (none on buttons without one). */
export function tappedYesNo(payload: string | undefined): { answer: YesNo; question?: string } | null {
  const match = payload === undefined ? null : TAP.exec(payload);
  if (!match) return null;
  return match[2] ? { answer: match[1] as YesNo, question: match[2] } : { answer: match[1] as YesNo };
}

/** The question whose Yes/No buttons are among `choices`, if any. */
export function questionAskedBy(choices: ReplyChoice[] | undefined): string | undefined {
  for (const choice of choices ?? []) {
    const question = tappedYesNo(choice.id)?.question;
    if (question) return question;
  }
  return undefined;
}

const TYPED = new Map<string, YesNo>(
  LANGUAGES.flatMap((language) => {
    const t = translatorFor(language);
    return [
      ...catalogueWords(t('word.yes')).map((word) => [word, 'yes'] as const),
      ...catalogueWords(t('word.no')).map((word) => [word, 'no'] as const),
    ];
  }),
);

export function typedYesNo(text: string | undefined): YesNo | null {
  const typed = text
    ?.trim()
    .toLowerCase()
    .replace(/[.!,¡¿\s]+$/u, '')
    .replace(/^[/¡¿]/u, '');
  return (typed && TYPED.get(typed)) || null;
}

/** The message was written after the question reached the person (by the platform's clock). */
export function writtenAfter(question: OpenQuestion, message: Pick<InboundMessage, 'timestamp'>): boolean {
  return question.sentAt !== undefined && message.timestamp > question.sentAt;
}

/**
 * What a message is to the open question: its answer; a tap on a Yes/No button of a question that
 * is no longer open (answered, expired, replaced); or neither, the person's own words.
 */
export type QuestionReply = { kind: 'answer'; answer: YesNo } | { kind: 'stale-tap' } | { kind: 'words' };

export function replyTo(
  question: OpenQuestion | null,
  message: Pick<InboundMessage, 'text' | 'payload' | 'timestamp'>,
): QuestionReply {
  const tap = tappedYesNo(message.payload);
  if (tap)
    return question && tap.question === question.id ? { kind: 'answer', answer: tap.answer } : { kind: 'stale-tap' };
  if (message.payload !== undefined) return { kind: 'words' };
  const typed = typedYesNo(message.text);
  return typed && question && writtenAfter(question, message) ? { kind: 'answer', answer: typed } : { kind: 'words' };
}
