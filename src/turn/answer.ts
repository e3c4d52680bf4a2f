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
import { historyTextOf } from '../media/prepare-input';
import { PHOTO_NOTE_REQUEST, takePhotoNote } from '../media/photo-note';
import { takeProposal } from '../memory/fact-proposal';
import { saidAboutThemselves } from '../memory/fact-subject';
import { memoryMessage } from '../memory/memory-prompt';
import type { ModePlan } from '../modes/mode-plan';
import { notice, type TurnContext, type TurnOutcome } from '../turn-state/turn-context';
import type { TurnDependencies } from '../turn-state/turn-dependencies';
import { askShopping, type ShoppingReply } from './shopping-tools';
import { finishGrounded, groundingFor } from './ground-in-sources';

/**
 * Answer: the model call of the conversation's mode (one call, or drafts and a synthesis), over
 * the system prompt, the history and the user's turn as read by the media step. What cannot reach
 * the model gets its friendly text instead: unsupported content, an empty message, no model
 * configured. A model that is down is retried by the job while attempts are left; after the last
 * one the user gets an apology rather than silence. Every answer may draw on the business's
 * knowledge and is finished with it (ground-in-sources.ts): citations, strict mode, the promise guard.
 * Sets `outcome`.
 */
export async function answer(turn: TurnContext, deps: TurnDependencies): Promise<void> {
  const message = turn.gathered ?? turn.message;
  const unreadable = unreadableNotice(message, turn);
  const plan = turn.plan;
  if (unreadable || !plan?.complete) {
    turn.outcome = unreadable ?? notice(replyTexts.modelNotConfigured(turn.t), 'model-not-configured');
    return;
  }
  try {
    turn.outcome = await askModel(turn, { ...plan, complete: plan.complete }, deps);
  } catch (error) {
    if (turn.signal.aborted) throw error;
    if (error instanceof ModelUnavailableError && turn.canRetry) throw error;
    if (error instanceof ModelUnavailableError || error instanceof ModelRejectedError) {
      deps.logger.error({ err: error, jobId: turn.job.id }, 'model failed; answering with an apology');
      turn.outcome = apologyFor(turn.t, error);
      return;
    }
    throw error;
  }
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
function unreadableNotice(message: InboundMessage, turn: TurnContext): TurnOutcome | undefined {
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
function conversationFor(turn: TurnContext, plan: ModePlan, deps: TurnDependencies) {
  const text = (turn.gathered ?? turn.message).text?.trim() ?? '';
  const past: ChatMessage[] = deps.history.forModel(turn.conversation, turn.found?.history ?? []).map((entry) => ({
    role: entry.role,
    content: entry.content,
  }));
  const history = [...(turn.memoryOn ? [memoryMessage(turn.factsUsed ?? [])] : []), ...past];
  const user = turn.input?.content ?? text;
  // A photo's bytes are not kept: the model is asked to say what it shows, for the history.
  const systemPrompt = turn.input?.photos ? `${plan.systemPrompt}\n\n${PHOTO_NOTE_REQUEST}` : plan.systemPrompt;
  // the person's own words: what they typed, a voice note's transcript, a photo's caption
  const question = turn.input?.words ?? text;
  return { text, history, user, systemPrompt, question };
}

async function askModel(
  turn: TurnContext,
  plan: ModePlan & { complete: NonNullable<ModePlan['complete']> },
  deps: TurnDependencies,
): Promise<TurnOutcome> {
  const { text, history, user, systemPrompt, question } = conversationFor(turn, plan, deps);
  const grounding = groundingFor(deps);
  const reply: ShoppingReply | TurnOutcome =
    plan.mode === 'shopping'
      ? await askShopping(turn, { ...plan, systemPrompt }, { history, user, text }, deps, grounding)
      : await plan.complete(
          [{ role: 'system', content: systemPrompt }, ...history, { role: 'user', content: user }],
          turn.signal,
          grounding,
        );
  if ('kind' in reply) return reply;
  // Tags are cut whether or not they were asked for: the person never sees them, the history never keeps them.
  // A proposal is asked about only when the person's own words (typed, or a voice note's) state it about themselves.
  const { text: untagged, note } = takePhotoNote(reply.text);
  const { text: proposed, proposal } = takeProposal(untagged);
  const theirWords = turn.input?.words ?? text;
  if (proposal && turn.memoryOn && saidAboutThemselves(proposal.text, theirWords)) turn.proposedFact = proposal;
  const fromCatalog = Boolean(reply.cards);
  const { text: said, citations } = finishGrounded(turn, grounding, proposed, question, fromCatalog, deps);
  const message = turn.gathered ?? turn.message;
  // The notes are for the person only; the history keeps what the person was told.
  const cut = reply.cutShort ? `\n\n${replyTexts.answerCutShort(turn.t)}` : '';
  const leftOut = message.leftOut ? `\n\n${replyTexts.leftOut(turn.t, message.leftOut)}` : '';
  const switched = turn.modeQuestion?.switched
    ? modeTexts.answeredIn(turn.t, plan.mode, deps.modeStore.defaultChoice)
    : '';
  const routed = turn.routeNote ? `\n\n${turn.routeNote}` : '';
  const capped = turn.input?.notes?.length ? `\n\n${turn.input.notes.join('\n')}` : '';
  return {
    kind: 'answer',
    text: said + cut + leftOut + capped + switched + routed,
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
}
