import type { Queue } from 'bullmq';
import type { AnswerLedger } from '../conversation/answer-ledger';
import type { MessagingWindow } from '../conversation/messaging-window';
import type { PendingQuestions } from '../conversation/pending-question';
import type { RecipientOutbox } from '../conversation/recipient-outbox';
import type { SentAnswers } from '../conversation/sent-answers';
import type { Logger } from '../logging';
import type { Metrics } from '../metrics/metrics';
import type { SendFailure } from '../platforms/graph-errors';
import type { PlatformRegistry } from '../platforms/registry';
import type { AccountErasure } from '../privacy/account-erasure';
import type { JobIds, OutboundJob } from '../queues/jobs';

/**
 * What the outbound layer reaches, named as the turn's dependencies name the same things, so a
 * turn's dependencies serve as they are and every other sender builds the same few stores.
 */
export interface OutboundDependencies {
  adapters: PlatformRegistry;
  /** the BullMQ "outbound" queue: the send jobs */
  outbound: Queue<OutboundJob>;
  /** a send job's id: derived from the message it answers, so handing a reply over twice enqueues once */
  jobIds: Pick<JobIds, 'outbound'>;
  /** per-recipient order: a later answer waits for an earlier one that is being retried */
  outbox: RecipientOutbox;
  /** closed 24-hour windows: not tried again until the user writes */
  window: MessagingWindow;
  /** which parts of an answer Graph has accepted */
  ledger: Pick<AnswerLedger, 'isPartSent' | 'markPartSent'>;
  /** the ids Graph gave an answer's messages, each to its answer: recorded with the part's sent mark */
  sentAnswers: Pick<SentAnswers, 'keepIn'>;
  /** the yes/no questions the answers ask: marked sent once the part carrying them is accepted */
  pendingQuestions: Pick<PendingQuestions, 'markSent'>;
  /** every Send API call, by platform and Graph error class (`none`: accepted) */
  metrics: Pick<Metrics, 'sends'>;
  logger: Logger;
  /** erases the last traces of a person after the confirmation of their erasure is out */
  erasure: Pick<AccountErasure, 'eraseAccounts' | 'forgetEventsAbout'>;
  /**
   * told of every queued reply Meta refused for good, once it is settled: the handoff desk passes
   * an agent's reply refused (a HUMAN_AGENT reply past 7 days or without the permission) on to
   * the agent's inbox, so the agent is never left thinking it arrived
   */
  onRefused?: (reply: OutboundJob, failure: SendFailure) => Promise<void>;
}

/** What putting a reply on the send queue needs: the web process has these too. */
export type EnqueueDependencies = Pick<OutboundDependencies, 'outbound' | 'outbox' | 'jobIds'>;

/** What a send from the caller's own process needs: no queue, no ledger (the caller records). */
export type SendNowDependencies = Pick<
  OutboundDependencies,
  'adapters' | 'window' | 'pendingQuestions' | 'metrics' | 'logger'
>;
