import type { Job } from 'bullmq';
import type { ConversationState } from '../conversation/conversation-turn';
import type { HeldTurn } from '../conversation/turn-order';
import type { InboundMessage } from '../core/inbound';
import type { ModeChoice } from '../core/modes';
import type { AutoRoute } from '../modes/auto-route';
import type { Citation } from '../core/citation';
import type { ProductCards } from '../core/product-card';
import type { ReplyChoice } from '../core/reply-choice';
import type { RememberedFact } from '../core/remembered-fact';
import type { AttachmentReading } from '../media/prepare-input';
import type { ModePlan } from '../modes/mode-plan';
import type { Mode } from '../core/modes';
import type { ProductFocus } from '../shopping/shopping-prompt';
import type { Account } from '../people/person-directory';
import type { PlatformAdapter } from '../platforms/adapter';
import type { TurnActivity } from '../signs/signs-of-life';
import type { Translator } from '../i18n/translator';
import type { Logger } from '../logging';

/**
 * A turn's state, in the phases the story reaches (src/turn/run-turn.ts lists the steps in order).
 * Each phase is the one before it plus what a step decided, so a step's parameter says which steps
 * have run: a step never finds a field "not set yet".
 *
 *   TurnStart    the job, before the claim
 *   ClaimedTurn  claim: the conversation's lock held, its state as the turn began
 *   TurnContext  recognise: the person and their language known, signs of life begun; what decide,
 *                every quick answer and every command gets
 *   Decision     decide returns it: `answered` (a quick answer, a refusal) or `planned` (the model answers)
 *   PlannedTurn  a planned turn: the mode, its plan, and what decide chose on the way
 *   GatheredTurn gather: the message with its followers merged in; read media, recall and answer go on from it
 *   AnsweredTurn whichever way it was answered: the mode, the outcome and its choices; what offer,
 *                disclose, send own answer, record and hand over read (count reads the decision
 *                from `tally`, so a turn failing part-way is counted too)
 *
 * A new step takes the earliest phase that has what it reads (or a `Pick<>` of it) and returns
 * what it decided, which run-turn.ts adds to the turn for the steps after it. A new command takes
 * a TurnContext and returns a CommandAnswer (src/quick-answers/command-answer.ts); what a later
 * step must act on (as `eraseAfterSend`) is a field of that answer, not a change to the turn.
 * Each step and command declares the dependencies it reaches, as `Pick<TurnDependencies, ...>`
 * or a named type beside it (a command's joins CommandDeps in src/quick-answers/run-command.ts).
 *
 * `signal` is the job's abort signal: every step that waits passes it on, so a worker shutting
 * down stops downloads, ffmpeg, speech-to-text and the model call at once.
 */
export interface TurnStart {
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
   * recognise settles it (src/turn/settle-language.ts); `/language` changes it for its answer.
   */
  t: Translator;
  /**
   * The worker's logger with this turn's job id bound (pino's child logger): every line a step
   * logs goes through it, so each carries `jobId` without naming it.
   */
  readonly log: Logger;
  /** what the turn is counted by, kept as the story reaches it (count-turn.ts) */
  readonly tally: TurnTally;
}

/**
 * A turn is counted once, when it ends: answered, or failed on its last attempt, wherever that
 * happened. The decision (once made) gives the mode, the limit that refused it, auto's route.
 */
export interface TurnTally {
  counted: boolean;
  decision?: Decision;
}

/** claim: a fresh turn (a retry resuming a saved reply goes straight to hand over). */
export interface ClaimedTurn extends TurnStart {
  /** what the conversation held when the turn began (its question, history, queued sends) */
  readonly found: ConversationState;
  /** the conversation's lock, held until the turn is finished */
  readonly held: HeldTurn;
}

/** recognise: the turn as decide, the quick answers and the commands see it. */
export interface TurnContext extends ClaimedTurn {
  /** the person the message is from (src/people): memory, mode and links are kept under it; `/link` changes it */
  person: string;
  /** read receipt, typing and the "still thinking" note while the turn runs */
  readonly activity: TurnActivity;
}

/** decide: answered at once, without the model: a command, an answer to the bot, an order, a tap, a refusal. */
export interface DecidedAnswer {
  readonly kind: 'answered';
  /** the conversation's mode (after a mode command, the new one), which may be `auto` */
  readonly mode: ModeChoice;
  readonly outcome: TurnOutcome;
  /** choices offered under the reply (quick replies, reply buttons) */
  readonly choices?: ReplyChoice[];
  /** /forget all: the accounts whose last traces (this exchange) are erased once the reply is sent */
  readonly eraseAfterSend?: Account[];
}

/** decide: the model answers, in `mode` (the one it is charged and counted in), by `plan`. */
export interface DecidedPlan {
  readonly kind: 'planned';
  readonly mode: Mode;
  readonly plan: ModePlan;
  /** `/think <question>` and the like: the question as the model reads it, in the mode it switched to */
  readonly modeQuestion?: ModeQuestion;
  /** in auto mode, the mode auto chose for this message and why (`/why` tells it) */
  readonly route?: AutoRoute;
  /** auto answered fast because thinking's limit is spent, and the person is told so with the answer */
  readonly routeNote?: string;
  /** the catalog product a "More like this" tap or a product question is about */
  readonly focus?: ProductFocus;
}

export type Decision = DecidedAnswer | DecidedPlan;

/** A turn the model answers: what gather, read media, recall and answer start from. */
export type PlannedTurn = TurnContext & Omit<DecidedPlan, 'kind'>;

/** gather: the message with the photo or question that came with it merged in. */
export interface GatheredTurn extends PlannedTurn {
  readonly gathered: InboundMessage;
  /** keys of the messages merged into this turn, answered by its reply */
  readonly absorbed: string[];
  /** readings of the message's own attachments, started before the wait for followers */
  readonly headReadings: Array<Promise<AttachmentReading>>;
}

/** What the model's answer drew on and proposed; only a model answer has it. */
export interface AnswerMade {
  /** recall: the person has memory on (the model is told about memory and may propose a fact) */
  readonly memoryOn: boolean;
  /** recall: the remembered facts the answer was given (none while memory is off) */
  readonly factsUsed: RememberedFact[];
  /** a fact the model proposed to remember, cut from its answer; asked about, never kept silently */
  readonly proposedFact?: RememberedFact;
  /** shopping: the catalog searches run for this answer, in words (`/why` shows them) */
  readonly searches?: string[];
  /** the passages (and web results) the answer used, as citation lines (`/why` shows them) */
  readonly passagesUsed: string[];
}

/** The turn with its reply, however it was decided: what the steps after answer read. */
export interface AnsweredTurn extends TurnContext {
  readonly mode: ModeChoice;
  readonly route?: AutoRoute;
  /** what to reply */
  readonly outcome: TurnOutcome;
  readonly choices?: ReplyChoice[];
  readonly eraseAfterSend?: Account[];
  /** messages merged into this turn (gather), answered by its reply */
  readonly absorbed: string[];
  readonly made?: AnswerMade;
  /** answer: strict mode's "I don't know" replaced the answer (a failure toward a handoff) */
  readonly unanswered?: boolean;
}

/** A mode command with a question: the message as the model reads it, and whether the mode changed. */
export interface ModeQuestion {
  mode: Mode;
  message: InboundMessage;
  switched: boolean;
}

/** Whose mode and limits a turn uses: the person's, shared by the accounts they linked. */
export const modeOwner = (turn: Pick<TurnContext, 'person'>): string => turn.person;

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
