import { DelayedError, UnrecoverableError, WaitingError, type Job, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { conversationKey, messageKey, type InboundMessage } from '../src/core/inbound';
import { splitForPlatform } from '../src/core/split';
import { decideReply, defaultSystemPrompt, type TurnOutcome } from '../src/core/turn';
import { replyTexts } from '../src/core/reply-texts';
import type { ConversationHistory } from '../src/conversation/history';
import type { AnswerLedger } from '../src/conversation/answer-ledger';
import type { MessagingWindow } from '../src/conversation/messaging-window';
import type { RecipientOutbox } from '../src/conversation/recipient-outbox';
import { inboxScore, type HeadState, type TurnOrder } from '../src/conversation/turn-order';
import { ModelRejectedError, ModelUnavailableError, type ChatModel } from '../src/inference/chat-model';
import { inboundJobSchema, isPendingJobState, outboundJobId, type OutboundJob } from '../src/queues/jobs';
import type { PlatformRegistry } from '../src/platforms/registry';
import { contentFields, type Logger } from '../src/logging';
import type { ModePlan } from '../src/modes/mode-plan';
import type { ConductedTurn, TurnConductor } from '../src/modes/turn-conductor';
import type { MediaTurnPreparer } from '../src/media/media-turn';
import type { MediaSettings, PreparedInput } from '../src/media/prepare-input';
import type { SpeechToText } from '../src/inference/speech-to-text';

/**
 * The turn: one inbound message in, one answer handed to the sender. Order and exclusivity come
 * from TurnOrder, exactly-once from the AnswerLedger: the reply is saved (with the history)
 * before it is handed over, and the message is marked answered after, so a retry at any point
 * resumes instead of answering twice.
 */
export interface TurnProcessorDependencies {
  redis: Redis;
  inbound: Queue<InboundMessage>;
  outbound: Queue<OutboundJob>;
  adapters: PlatformRegistry;
  turnOrder: TurnOrder;
  ledger: AnswerLedger;
  history: ConversationHistory;
  model: ChatModel | null;
  modelName: string | undefined;
  maxTokens: number;
  systemPrompt: string | undefined;
  logContent: boolean;
  logger: Logger;
  /** modes, commands, fair-use limits and signs of life around the model call (issue 4) */
  conductor?: TurnConductor;
  /** voice notes and photos (absent: media gets a "can't open" answer) */
  media?: { prepare: MediaTurnPreparer; stt: SpeechToText | null; settings: MediaSettings };
  /** answers to one user leave in order (see recipient-outbox.ts) */
  outbox?: RecipientOutbox;
  /** a message from the user reopens a closed 24-hour window */
  window?: MessagingWindow;
}

/** How long a message waits before trying again when its conversation is busy. */
const BUSY_RETRY_MS = 150;

export function createTurnProcessor(deps: TurnProcessorDependencies) {
  const headState = async (headKey: string): Promise<HeadState> => {
    if (await deps.ledger.isAnswered(headKey)) return 'gone';
    const state = await deps.inbound.getJobState(headKey);
    return isPendingJobState(state) ? 'pending' : 'gone';
  };

  async function outcomeFor(
    message: InboundMessage,
    job: Job<InboundMessage>,
    options: { plan?: ModePlan; prepared?: PreparedInput; signal?: AbortSignal } = {},
  ): Promise<TurnOutcome> {
    const { plan, prepared, signal } = options;
    const conversation = conversationKey(message);
    const model = deps.model;
    try {
      return await decideReply(message, {
        // The job's abort signal (shutdown) reaches the model call, so a slow call can be handed back.
        model: model && signal ? { complete: (request) => model.complete({ ...request, signal }) } : model,
        modelName: plan ? plan.modelName : deps.modelName,
        maxTokens: plan?.maxTokens ?? deps.maxTokens,
        systemPrompt: plan?.systemPrompt ?? deps.systemPrompt ?? defaultSystemPrompt(message.platform),
        loadHistory: () => deps.history.load(conversation),
        complete: plan?.complete ? (messages) => plan.complete!(messages, signal) : undefined,
        prepared,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      const attemptsLeft = (job.opts.attempts ?? 1) - job.attemptsMade - 1;
      if (error instanceof ModelUnavailableError && attemptsLeft > 0) throw error;
      if (error instanceof ModelUnavailableError || error instanceof ModelRejectedError) {
        // Out of retries (or not retryable): an apology beats silence.
        deps.logger.error({ err: error, jobId: job.id }, 'model failed; answering with an apology');
        return { kind: 'notice', text: replyTexts.modelFailed, reason: 'model-failed' };
      }
      throw error;
    }
  }

  return async function processTurn(job: Job<InboundMessage>, token?: string, signal?: AbortSignal): Promise<string> {
    const parsed = inboundJobSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid inbound job: ${parsed.error.message}`);
    const message = parsed.data;
    const key = messageKey(message);
    const conversation = conversationKey(message);
    const adapter = deps.adapters.get(message.platform);
    if (!adapter) {
      deps.logger.warn({ platform: message.platform, jobId: job.id }, 'channel is off; message not answered');
      return 'channel-off';
    }

    await deps.turnOrder.register(deps.redis, conversation, key, inboxScore(message.timestamp, job.timestamp));
    const turn = await deps.turnOrder.tryBegin(conversation, key, headState);
    if (!turn) {
      await job.moveToDelayed(Date.now() + BUSY_RETRY_MS + Math.floor(Math.random() * 50), token);
      throw new DelayedError();
    }
    try {
      if (await deps.ledger.isAnswered(key)) {
        const multi = deps.redis.multi();
        deps.turnOrder.finishIn(multi, conversation, key);
        await multi.exec();
        deps.logger.info({ jobId: job.id }, 'duplicate delivery; already answered');
        return 'duplicate';
      }

      let parts = await deps.ledger.pendingReply(key);
      let conducted: ConductedTurn | undefined;
      if (!parts) {
        const started = Date.now();
        // Media is read inside the conductor's answer step: after commands and fair-use checks,
        // so a refused turn never downloads or transcribes anything, and typing shows meanwhile.
        let media: Awaited<ReturnType<MediaTurnPreparer>> | undefined;
        const answer = async (plan?: ModePlan): Promise<TurnOutcome> => {
          media = deps.media
            ? await deps.media.prepare({
                message,
                key,
                conversation,
                arrivedAtMs: job.timestamp,
                canRetry: (job.opts.attempts ?? 1) - job.attemptsMade - 1 > 0,
                readers: {
                  fetch: adapter.fetchMedia?.bind(adapter),
                  stt: deps.media.stt,
                  settings: deps.media.settings,
                },
              })
            : undefined;
          if (media?.notice) return { kind: 'notice', ...media.notice };
          return outcomeFor(media?.message ?? message, job, { plan, prepared: media?.input, signal });
        };
        conducted = deps.conductor ? await deps.conductor.conduct(message, key, adapter, answer) : undefined;
        const outcome = conducted ? conducted.outcome : await answer();
        parts = splitForPlatform(outcome.text, adapter.textLimit);
        const multi = deps.redis.multi();
        deps.ledger.savePendingIn(multi, key, parts);
        // Messages merged into this turn (a photo and its question) are answered by this reply.
        for (const absorbed of media?.absorbed ?? []) {
          deps.ledger.markAnsweredIn(multi, absorbed);
          deps.turnOrder.finishIn(multi, conversation, absorbed);
        }
        if (outcome.kind === 'answer') {
          const at = Date.now();
          deps.history.appendIn(
            multi,
            conversation,
            outcome.remember.map((turn) => ({ ...turn, at })),
          );
        }
        await multi.exec();
        deps.logger.info(
          {
            jobId: job.id,
            platform: message.platform,
            mode: conducted?.mode,
            outcome: outcome.kind === 'answer' ? 'answer' : outcome.reason,
            model: outcome.kind === 'answer' ? outcome.model : undefined,
            usage: outcome.kind === 'answer' ? outcome.usage : undefined,
            latencyMs: Date.now() - started,
            parts: parts.length,
            ...contentFields(deps.logContent, { text: message.text, answer: outcome.text }),
          },
          'turn decided',
        );
      }

      // An empty reply is a deliberate silence (a repeated fair-use refusal): nothing to send.
      if (parts.length > 0) {
        await deps.outbox?.append(conversation, key);
        await deps.outbound.add(
          'reply',
          {
            platform: message.platform,
            channelId: message.channelId,
            userId: message.userId,
            conversation,
            answering: key,
            parts,
            answeringAt: message.timestamp,
            ...(conducted?.choices?.length ? { choices: conducted.choices } : {}),
          },
          { jobId: outboundJobId(key) },
        );
      }
      const multi = deps.redis.multi();
      deps.ledger.markAnsweredIn(multi, key);
      deps.turnOrder.finishIn(multi, conversation, key);
      deps.window?.reopenIn(multi, conversation, message.timestamp);
      await multi.exec();
      return 'answered';
    } catch (error) {
      if (!signal?.aborted) throw error;
      // Shutting down mid-turn: hand the job back to the queue; the ledger lets the next worker
      // resume where this one stopped (a saved reply is not recomputed).
      deps.logger.info({ jobId: job.id }, 'shutting down; turn handed back');
      await job.moveToWait(token);
      throw new WaitingError();
    } finally {
      await turn.release();
    }
  };
}
