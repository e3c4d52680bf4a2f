import type { InboundMessage } from '../core/inbound';
import { replyTexts } from '../core/reply-texts';
import { ModelRejectedError, ModelUnavailableError, type ChatMessage } from '../inference/chat-model';
import { historyTextOf } from '../media/prepare-input';
import { PHOTO_NOTE_REQUEST, takePhotoNote } from '../media/photo-note';
import { takeProposal } from '../memory/fact-proposal';
import { memoryMessage } from '../memory/memory-prompt';
import type { ModePlan } from '../modes/mode-plan';
import { notice, type TurnContext, type TurnOutcome } from './context';
import type { TurnDependencies } from './dependencies';
import { askShopping, type ShoppingReply } from './answer-shopping';

/**
 * Answer: the model call of the conversation's mode (one call, or drafts and a synthesis), over
 * the system prompt, the history and the user's turn as read by the media step. What cannot reach
 * the model gets its friendly text instead: unsupported content, an empty message, no model
 * configured. A model that is down is retried by the job while attempts are left; after the last
 * one the user gets an apology rather than silence. Sets `outcome`.
 */
export async function answer(turn: TurnContext, deps: TurnDependencies): Promise<void> {
  const message = turn.gathered ?? turn.message;
  const unreadable = unreadableNotice(message, turn);
  const plan = turn.plan;
  if (unreadable || !plan?.complete) {
    turn.outcome = unreadable ?? notice(replyTexts.modelNotConfigured, 'model-not-configured');
    return;
  }
  try {
    turn.outcome = await askModel(turn, { ...plan, complete: plan.complete }, deps);
  } catch (error) {
    if (turn.signal.aborted) throw error;
    if (error instanceof ModelUnavailableError && turn.canRetry) throw error;
    if (error instanceof ModelUnavailableError || error instanceof ModelRejectedError) {
      deps.logger.error({ err: error, jobId: turn.job.id }, 'model failed; answering with an apology');
      turn.outcome = notice(replyTexts.modelFailed, 'model-failed');
      return;
    }
    throw error;
  }
}

/** Content the model cannot be asked about: unsupported, or nothing readable at all. */
function unreadableNotice(message: InboundMessage, turn: TurnContext): TurnOutcome | undefined {
  if (message.unsupported !== undefined) {
    return notice(replyTexts.unsupported(message.unsupported), `unsupported:${message.unsupported}`);
  }
  if (!message.text?.trim() && !turn.input) {
    const kind = message.attachments[0]?.kind ?? 'empty';
    return notice(replyTexts.unsupported(kind), `unreadable:${kind}`);
  }
  return undefined;
}

async function askModel(
  turn: TurnContext,
  plan: ModePlan & { complete: NonNullable<ModePlan['complete']> },
  deps: TurnDependencies,
): Promise<TurnOutcome> {
  const text = (turn.gathered ?? turn.message).text?.trim() ?? '';
  const past: ChatMessage[] = deps.history.forModel(turn.conversation, turn.found?.history ?? []).map((entry) => ({
    role: entry.role,
    content: entry.content,
  }));
  const history = [...(turn.memoryOn ? [memoryMessage(turn.factsUsed ?? [])] : []), ...past];
  const user = turn.input?.content ?? text;
  // A photo's bytes are not kept: the model is asked to say what it shows, for the history.
  const systemPrompt = turn.input?.photos ? `${plan.systemPrompt}\n\n${PHOTO_NOTE_REQUEST}` : plan.systemPrompt;
  const reply: ShoppingReply | TurnOutcome =
    plan.mode === 'shopping'
      ? await askShopping(turn, { ...plan, systemPrompt }, { history, user, text }, deps)
      : await plan.complete(
          [{ role: 'system', content: systemPrompt }, ...history, { role: 'user', content: user }],
          turn.signal,
        );
  if ('kind' in reply) return reply;
  // Tags are cut whether or not they were asked for: the person never sees them.
  const { text: untagged, note } = takePhotoNote(reply.text);
  const { text: said, proposal } = takeProposal(untagged);
  if (proposal && turn.memoryOn) turn.proposedFact = proposal;
  const message = turn.gathered ?? turn.message;
  // The notes are for the person only; the history keeps what the model said.
  const leftOut = message.leftOut ? `\n\n${replyTexts.leftOut(message.leftOut)}` : '';
  const routed = turn.routeNote ? `\n\n${turn.routeNote}` : '';
  return {
    kind: 'answer',
    text: said + leftOut + routed,
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
  };
}
