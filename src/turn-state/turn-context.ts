import type { Job } from 'bullmq';
import type { ConversationState } from '../conversation/conversation-turn';
import type { HeldTurn } from '../conversation/turn-order';
import type { InboundMessage } from '../core/inbound';
import type { ModeChoice } from '../core/modes';
import type { AutoRoute } from '../modes/auto-route';
import type { Citation } from '../core/citation';
import type { ProductCards } from '../core/product-card';
import type { ReplyChoice } from '../core/reply-choice';
import type { ReplyPart } from '../core/reply-part';
import type { RememberedFact } from '../core/remembered-fact';
import type { AttachmentReading, PreparedInput } from '../media/prepare-input';
import type { ModePlan } from '../modes/mode-plan';
import type { Mode } from '../core/modes';
import type { ProductFocus } from '../shopping/shopping-prompt';
import type { Account } from '../people/person-directory';
import type { PlatformAdapter } from '../platforms/adapter';
import type { TurnActivity } from '../signs/signs-of-life';
import type { Translator } from '../i18n/translator';

/**
 * One turn's state, handed from step to step (src/turn/run-turn.ts lists them in order). The
 * first fields are known when the job starts; each later one is filled by the step named beside
 * it. `signal` is the job's abort signal: every step that waits passes it on, so a worker
 * shutting down stops downloads, ffmpeg, speech-to-text and the model call at once.
 */
export interface TurnContext {
  readonly job: Job<InboundMessage>;
  readonly token: string | undefined;
  readonly signal: AbortSignal;
  /** the message as it arrived */
  readonly message: InboundMessage;
  /** messageKey(message): the ledger's and the inbox's name for it */
  readonly messageKey: string;
  /** conversationKey(message) */
  readonly conversation: string;
  readonly adapter: PlatformAdapter;
  readonly startedAt: number;
  /** false on the job's last attempt: a transient failure then becomes a friendly text */
  readonly canRetry: boolean;
  /**
   * The person's language, for every text the bot writes by itself: DEFAULT_LANGUAGE until
   * decide settles it (src/turn/settle-language.ts).
   */
  t: Translator;

  /** claim: what the conversation held when the turn began (its question, history, queued sends) */
  found?: ConversationState;
  /** claim: the conversation's lock, held until the turn is finished */
  held?: HeldTurn;
  /** decide: the person the message is from (src/people): memory and links are kept under it */
  person?: string;
  /** recall: the person has memory on (the model is told about memory and may propose a fact) */
  memoryOn?: boolean;
  /** before answer: the remembered facts the answer is given (none while memory is off) */
  factsUsed?: RememberedFact[];
  /** answer: a fact the model proposed to remember, cut from its answer; asked about, never kept silently */
  proposedFact?: RememberedFact;
  /** answer: the catalog searches run for this answer, in words (`/why` shows them) */
  searches?: string[];
  /** answer: the passages (and web results) the answer used, as citation lines (`/why` shows them) */
  passagesUsed?: string[];
  /**
   * decide: the mode the turn is answered (and charged and counted) in; for a command, the
   * conversation's choice (after a mode command, the new one), which may be `auto`
   */
  mode?: ModeChoice;
  /** decide: `/think <question>` and the like: the question as the model reads it, in the mode it switched to */
  modeQuestion?: ModeQuestion;
  /** decide: in auto mode, the mode auto chose for this message and why (`/why` tells it) */
  route?: AutoRoute;
  /** decide: auto answered fast because thinking's limit is spent, and the person is told so with the answer */
  routeNote?: string;
  /** decide: the catalog product a "More like this" tap or a product question is about */
  focus?: ProductFocus;
  /** decide: how the mode answers; unset when a command or a refusal already answered */
  plan?: ModePlan;
  /** decide: read receipt, typing and the "still thinking" note while the turn runs */
  activity?: TurnActivity;
  /** gather: the message with the photo or question that came with it merged in */
  gathered?: InboundMessage;
  /** gather: keys of the messages merged into this turn, answered by its reply */
  absorbed: string[];
  /** gather: readings of the message's own attachments, started before the wait for followers */
  headReadings?: Array<Promise<AttachmentReading>>;
  /** read media: the user's turn as the model should read it, when it had media */
  input?: PreparedInput;
  /** answer: strict mode's "I don't know" replaced the answer (a failure toward a handoff) */
  unanswered?: boolean;
  /** decide, read media or answer: what to reply */
  outcome?: TurnOutcome;
  /** decide: choices offered under the reply (quick replies, reply buttons) */
  choices?: ReplyChoice[];
  /** record (or a reply saved by an earlier attempt): the reply split at the platform's limit */
  parts?: ReplyPart[];
  /** count: the turn is in the metrics (a failure after record is not counted again) */
  counted?: boolean;
  /** /forget all: the accounts whose last traces (this exchange) are erased once the reply is sent */
  eraseAfterSend?: Account[];
}

/** A mode command with a question: the message as the model reads it, and whether the mode changed. */
export interface ModeQuestion {
  mode: Mode;
  message: InboundMessage;
  switched: boolean;
}

/** Whose mode and limits a turn uses: the person's, shared by the accounts they linked. */
export const modeOwner = (turn: Pick<TurnContext, 'person' | 'conversation'>): string =>
  turn.person ?? turn.conversation;

/** A line of the conversation as the history keeps it. */
export interface PastTurn {
  role: 'user' | 'assistant';
  content: string;
}

export type TurnOutcome =
  /** a model answer; `remember` is appended to the conversation history */
  | {
      kind: 'answer';
      text: string;
      remember: PastTurn[];
      model: string;
      /** `reasoningTokens`: where the backend counts them (`/why` shows them) */
      usage?: { promptTokens: number; completionTokens: number; reasoningTokens?: number };
      /** shopping: the recommended catalog products, shown as cards after the text */
      cards?: ProductCards;
      /** the business's passages (and web results) the answer used, shown after it */
      citations?: Citation[];
    }
  /** a fixed text (a command, a refusal, unreadable input): remembered only when `remember` is set */
  | { kind: 'notice'; text: string; reason: string; remember?: PastTurn[] };

export const notice = (text: string, reason: string): TurnOutcome => ({ kind: 'notice', text, reason });
