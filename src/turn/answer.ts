import { replyTexts } from '../core/reply-texts';
import { ModelRejectedError, ModelUnavailableError, type ChatMessage } from '../inference/chat-model';
import { notice, type TurnContext, type TurnOutcome } from './context';
import type { TurnDependencies } from './dependencies';

/**
 * Answer: the model call of the conversation's mode (one call, or drafts and a synthesis), over
 * the system prompt, the history and the user's turn as read by the media step. What cannot reach
 * the model gets its friendly text instead: unsupported content, an empty message, no model
 * configured. A model that is down is retried by the job while attempts are left; after the last
 * one the user gets an apology rather than silence. Sets `outcome`.
 */
export async function answer(turn: TurnContext, deps: TurnDependencies): Promise<void> {
  const withoutModel = noticeInsteadOfModel(turn);
  if (withoutModel) {
    turn.outcome = withoutModel;
    return;
  }
  try {
    turn.outcome = await askModel(turn, deps);
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

function noticeInsteadOfModel(turn: TurnContext): TurnOutcome | undefined {
  const message = turn.gathered ?? turn.message;
  if (message.unsupported !== undefined) {
    return notice(replyTexts.unsupported(message.unsupported), `unsupported:${message.unsupported}`);
  }
  if (!message.text?.trim() && !turn.input) {
    const kind = message.attachments[0]?.kind ?? 'empty';
    return notice(replyTexts.unsupported(kind), `unreadable:${kind}`);
  }
  if (!turn.plan?.complete) return notice(replyTexts.modelNotConfigured, 'model-not-configured');
  return undefined;
}

async function askModel(turn: TurnContext, deps: TurnDependencies): Promise<TurnOutcome> {
  const plan = turn.plan!;
  const text = (turn.gathered ?? turn.message).text?.trim() ?? '';
  const history = await deps.history.load(turn.conversation);
  const messages: ChatMessage[] = [
    { role: 'system', content: plan.systemPrompt },
    ...history.map((past) => ({ role: past.role, content: past.content })),
    { role: 'user', content: turn.input?.content ?? text },
  ];
  const reply = await plan.complete!(messages, turn.signal);
  return {
    kind: 'answer',
    text: reply.text,
    remember: [
      { role: 'user', content: turn.input?.historyText ?? text },
      { role: 'assistant', content: reply.text },
    ],
    model: reply.model,
    usage: reply.usage,
  };
}
