import type { ReplyChoice } from '../core/reply-choice';
import { modeTexts } from '../commands/texts';
import type { InboundMessage } from '../core/inbound';
import { replyTexts } from '../core/reply-texts';
import {
  ContextTooLongError,
  ImagesNotSupportedError,
  ModelNoAnswerError,
  ModelRejectedError,
  ModelUnavailableError,
  type ChatMessage,
} from '../inference/chat-model';
import type { Translator } from '../i18n/translator';
import { historyTextOf, type PreparedInput } from '../media/prepare-input';
import { PHOTO_NOTE_REQUEST, SCAN_NOTE_REQUEST, takePhotoNote } from '../media/photo-note';
import { takeProposal } from '../memory/fact-proposal';
import { saidAboutThemselves } from '../memory/fact-subject';
import { memoryMessage } from '../memory/memory-prompt';
import type { ModePlan } from '../modes/mode-plan';
import { notice, type AnswerMade, type GatheredTurn, type TurnOutcome } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';
import { askShopping, type ShoppingDeps, type ShoppingReply } from './shopping-tools';
import { finishGrounded, groundingFor } from './ground-in-sources';
import type { Recalled } from './recall';
import { sharedPlace } from './shared-place';

/** What answering reaches: the model (through the mode's plan), the history, the business's knowledge, the catalog. */
export type AnswerDeps = ShoppingDeps &
  Pick<TurnDependencies, 'history' | 'modeStore' | 'grounding' | 'metrics' | 'reminders' | 'handoff'> &
  HandToPersonDeps;
import { reminderAnswer, reminderToolsFor } from './reminder-tools';
import { handedOffByModel, talkToAPerson } from './hand-off';
import type { HandToPersonDeps } from '../quick-answers/hand-to-person';

/**
 * Answer: the model call of the conversation's mode (one call, or drafts and a synthesis), over
 * the system prompt, the history and the user's turn as read by the media step. What cannot reach
 * the model gets its friendly text instead: unsupported content, an empty message, no model
 * configured. A model that is down is retried by the job while attempts are left; after the last
 * one the user gets an apology rather than silence. Every answer may draw on the business's
 * knowledge and is finished with it (ground-in-sources.ts): citations, strict mode, the promise guard.
 * Returns the outcome, and for a model answer what it was made from.
 */
export async function answer(turn: ReadTurn, deps: AnswerDeps): Promise<ModelAnswer> {
  const message = turn.gathered;
  const unreadable = unreadableNotice(message, turn);
  const { plan } = turn;
  if (unreadable || !plan.complete) {
    return { outcome: unreadable ?? notice(replyTexts.modelNotConfigured(turn.t), 'model-not-configured') };
  }
  try {
    return await askModel(turn, { ...plan, complete: plan.complete }, deps);
  } catch (error) {
    if (turn.signal.aborted) throw error;
    if (error instanceof ModelUnavailableError && turn.canRetry) throw error;
    if (error instanceof ModelUnavailableError || error instanceof ModelRejectedError) {
      turn.log.error({ err: error }, 'model failed; answering with an apology');
      const outcome = apologyFor(turn.t, error);
      // The assistant could not help: a person can, where one can be asked.
      const helpless = outcome.kind === 'notice' && outcome.reason === 'model-failed' && deps.handoff.enabled;
      return { outcome, ...(helpless ? { choices: [talkToAPerson(turn.t)] } : {}) };
    }
    throw error;
  }
}

/** The gathered turn as the model is asked about it: its media read, the person's remembered facts. */
export type ReadTurn = GatheredTurn & Recalled & { input: PreparedInput | undefined };

/** What to reply, and for a model answer what it drew on and proposed. */
export interface ModelAnswer {
  outcome: TurnOutcome;
  made?: AnswerMade;
  /** strict mode's "I don't know" replaced the answer: a failure toward a handoff */
  unanswered?: boolean;
  /** "Talk to a person" under an answer that could not help (or the apology), where a person can take over */
  choices?: ReplyChoice[];
}

/** What the person is told when the model could not answer: what went wrong, in their terms. */
function apologyFor(t: Translator, error: ModelUnavailableError | ModelRejectedError): TurnOutcome {
  if (error instanceof ImagesNotSupportedError) return notice(replyTexts.photosNotSupported(t), 'model-no-images');
  if (error instanceof ContextTooLongError) return notice(replyTexts.conversationTooLong(t), 'model-failed');
  if (error instanceof ModelNoAnswerError && error.reason !== 'empty') {
    return notice(replyTexts.modelNoAnswer(t), 'model-failed');
  }
  return notice(replyTexts.modelFailed(t), 'model-failed');
}

/** Content the model cannot be asked about: unsupported, or nothing readable at all. */
function unreadableNotice(message: InboundMessage, turn: Pick<ReadTurn, 't' | 'input'>): TurnOutcome | undefined {
  if (message.contactCards) return notice(replyTexts.contactsNotUsed(turn.t), 'contacts');
  if (message.unsupported !== undefined) {
    return notice(replyTexts.unsupported(turn.t, message.unsupported), `unsupported:${message.unsupported}`);
  }
  if (!message.text?.trim() && !turn.input) {
    const kind = message.attachments[0]?.kind ?? 'empty';
    return notice(replyTexts.unsupported(turn.t, kind), `unreadable:${kind}`);
  }
  return undefined;
}

/** The conversation as the model reads it: the person's words, the history, the system prompt. */
function conversationFor(turn: ReadTurn, plan: ModePlan, deps: Pick<TurnDependencies, 'history'>) {
  const text = turn.gathered.text?.trim() ?? '';
  const entries = deps.history.forModel(turn.conversation, turn.found.history);
  const past: ChatMessage[] = entries.map((entry) => ({ role: entry.role, content: entry.content }));
  const history = [...(turn.memoryOn ? [memoryMessage(turn.factsUsed)] : []), ...past];
  const user = turn.input?.content ?? text;
  // A photo's bytes (a scan's drawn pages) are not kept: the model is asked to say what it shows, for the history.
  const noteRequest = turn.input?.photos ? PHOTO_NOTE_REQUEST : turn.input?.scans ? SCAN_NOTE_REQUEST : undefined;
  const systemPrompt = noteRequest ? `${plan.systemPrompt}\n\n${noteRequest}` : plan.systemPrompt;
  // the person's own words: what they typed, a voice note's transcript, a photo's caption
  const question = turn.input?.words ?? text;
  return { text, history, user, systemPrompt, question, place: sharedPlace(turn, entries) };
}

/** What the person is told under the answer; the history keeps only what the answer said. */
function notesUnder(
  turn: ReadTurn,
  plan: ModePlan,
  reply: Pick<ShoppingReply, 'cutShort'>,
  deps: Pick<AnswerDeps, 'modeStore'>,
): string {
  const { leftOut } = turn.gathered;
  const cut = reply.cutShort ? `\n\n${replyTexts.answerCutShort(turn.t)}` : '';
  const left = leftOut ? `\n\n${replyTexts.leftOut(turn.t, leftOut)}` : '';
  const switched = turn.modeQuestion?.switched
    ? modeTexts.answeredIn(turn.t, plan.mode, deps.modeStore.defaultChoice)
    : '';
  const routed = turn.routeNote ? `\n\n${turn.routeNote}` : '';
  const capped = turn.input?.notes?.length ? `\n\n${turn.input.notes.join('\n')}` : '';
  return cut + left + capped + switched + routed;
}

async function askModel(
  turn: ReadTurn,
  plan: ModePlan & { complete: NonNullable<ModePlan['complete']> },
  deps: AnswerDeps,
): Promise<ModelAnswer> {
  const { text, history, user, systemPrompt, question, place } = conversationFor(turn, plan, deps);
  const reminders = await reminderToolsFor(turn, deps, question, history);
  const grounding = groundingFor(deps, reminders, place);
  const reply: ShoppingReply | TurnOutcome =
    plan.mode === 'shopping'
      ? await askShopping(turn, { ...plan, systemPrompt }, { history, user, text }, deps, grounding)
      : await plan.complete(
          [{ role: 'system', content: systemPrompt }, ...history, { role: 'user', content: user }],
          turn.signal,
          grounding,
        );
  if ('kind' in reply) return { outcome: reply };
  if (grounding.handOffAsked !== undefined)
    return { outcome: await handedOffByModel(turn, deps, grounding.handOffAsked, text) };
  // Tags are cut whether or not they were asked for: the person never sees them, the history never keeps them.
  // A proposal is asked about only when the person's own words (typed, or a voice note's) state it about themselves.
  const { text: untagged, note } = takePhotoNote(reply.text);
  const { text: proposed, proposal } = takeProposal(untagged);
  const theirWords = turn.input?.words ?? text;
  const asked = proposal && turn.memoryOn && saidAboutThemselves(proposal.text, theirWords);
  const fromCatalog = Boolean(reply.cards);
  const finished = finishGrounded(turn, grounding, proposed, question, fromCatalog, deps);
  // What the person reads about a reminder is ours (set, in their local time, or why not), never the model's promise.
  const aboutReminders = await reminderAnswer(reminders, question);
  const said = aboutReminders ?? finished.text;
  const citations = aboutReminders ? [] : finished.citations;
  const unanswered = !aboutReminders && finished.unknown;
  const choices = unanswered && deps.handoff.enabled ? [talkToAPerson(turn.t)] : undefined;
  const made: AnswerMade = {
    memoryOn: turn.memoryOn,
    factsUsed: turn.factsUsed,
    ...(asked ? { proposedFact: proposal } : {}),
    ...(reply.searches ? { searches: reply.searches } : {}),
    passagesUsed: finished.passagesUsed,
  };
  const outcome: TurnOutcome = {
    kind: 'answer',
    text: said + notesUnder(turn, plan, reply, deps),
    remember: [
      {
        role: 'user',
        content: reply.historyText ?? (turn.input ? historyTextOf(turn.input, note ?? reply.photoWords) : text),
      },
      { role: 'assistant', content: said },
    ],
    model: reply.model,
    usage: reply.usage,
    ...(reply.cards ? { cards: reply.cards } : {}),
    ...(citations.length > 0 ? { citations } : {}),
  };
  return { outcome, made, ...(unanswered ? { unanswered } : {}), ...(choices ? { choices } : {}) };
}
