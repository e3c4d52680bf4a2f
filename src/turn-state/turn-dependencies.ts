import type { Queue } from 'bullmq';
import type { RedisClient } from '../redis/connection';
import type { Config } from '../../config';
import type { CurrentCatalog } from '../catalog/live-catalog';
import type { InboundMessage } from '../core/inbound';
import type { AnswerLedger } from '../conversation/answer-ledger';
import type { ConversationHistory } from '../conversation/history';
import type { SentAnswers } from '../conversation/sent-answers';
import type { MessagingWindow } from '../conversation/messaging-window';
import type { RecipientOutbox } from '../conversation/recipient-outbox';
import type { TurnOrder } from '../conversation/turn-order';
import type { ConversationTurns } from '../conversation/conversation-turn';
import type { ChatModel } from '../inference/chat-model';
import type { SpeechToText } from '../inference/speech-to-text';
import type { FairUseLimiter } from '../limits/fair-use-limiter';
import type { Logger } from '../logging';
import type { Metrics } from '../metrics/metrics';
import type { MediaSettings } from '../media/prepare-input';
import type { ProcessSlots } from '../media/process-slots';
import type { ModeStore } from '../modes/mode-store';
import type { PlatformRegistry } from '../platforms/registry';
import type { JobIds, OutboundJob } from '../queues/jobs';
import type { PendingQuestions } from '../conversation/pending-question';
import type { PersonDirectory } from '../people/person-directory';
import type { AccountLinks } from '../people/account-links';
import type { AccountErasure } from '../privacy/account-erasure';
import type { PersonExporter } from '../privacy/person-export';
import type { ExportLinks } from '../privacy/export-link';
import type { RetentionFacts } from '../commands/privacy-texts';
import type { StateKeys } from '../redis/keys';
import type { SignsOfLife } from '../signs/signs-of-life';
import type { MemoryStore } from '../memory/memory-store';
import type { FirstContact } from '../privacy/first-contact';
import type { GroundingSources } from '../grounding/grounding';
import type { Language } from '../i18n/languages';
import type { PersonLanguages } from '../people/person-languages';
import type { Reminders } from '../reminders/reminders';
import type { HandoffDesk } from '../handoff/handoff-desk';

/** Everything a turn reaches outside itself; the worker builds it once (workers/worker.ts). */
export interface TurnDependencies {
  /** the state connection (ledger, inbox, history, modes, limits), not a queue's */
  stateRedis: RedisClient;
  inbound: Queue<InboundMessage>;
  outbound: Queue<OutboundJob>;
  /** the job id of a message, and of its answer: keyed hashes, never the ids themselves */
  jobIds: JobIds;
  adapters: PlatformRegistry;
  turnOrder: TurnOrder;
  /**
   * a turn's claim and, when it sent its own answer, its finish: one script each; the claim also
   * reads the handoff record and marks when the person wrote (the reminders' 24-hour window)
   */
  conversationTurns: ConversationTurns;
  ledger: AnswerLedger;
  history: ConversationHistory;
  /** which answer each message sent belongs to: a reaction is kept with the answer it names */
  sentAnswers: SentAnswers;
  /** answers to one user leave in order (see recipient-outbox.ts) */
  outbox: RecipientOutbox;
  /** a message from the user reopens a closed 24-hour window */
  window: MessagingWindow;
  /** the reminders people ask for (docs/reminders.md) */
  reminders: Reminders;
  modes: Config['modes'];
  /** null when no model is configured: users are told the bot is not connected */
  model: ChatModel | null;
  modeStore: ModeStore;
  /** the worker's live catalog; null when none is configured (no shopping mode) */
  catalog: { current(): CurrentCatalog | undefined } | null;
  /**
   * the business's knowledge (null until a knowledge base is wired in), the web search
   * (WEB_SEARCH), strict mode: every answer of every mode is finished with them (src/grounding)
   */
  grounding: GroundingSources;
  /** where an order's next step goes (ORDER_CHECKOUT_URL) */
  checkoutUrl: string | undefined;
  /** the yes/no question the bot is waiting on, per conversation */
  pendingQuestions: PendingQuestions;
  /** which person an account belongs to */
  people: PersonDirectory;
  /** what each person asked to be remembered, and whether they said yes to memory */
  memory: MemoryStore;
  /** the "you're talking to an AI" notice on a person's first reply per platform; null: AI_DISCLOSURE=off */
  firstContact: FirstContact | null;
  /** accounts joined across apps (/link, /unlink); the same store answers `people` */
  links: AccountLinks;
  /** erases everything kept under some accounts (/forget all) */
  erasure: AccountErasure;
  /** gathers everything kept about a person (/export) */
  exporter: PersonExporter;
  /** the language of fixed texts for a person whose own is not known yet (DEFAULT_LANGUAGE) */
  defaultLanguage: Language;
  /** each person's language and how it was learnt */
  languages: PersonLanguages;
  /** one-time links to an export, where the chat cannot carry the file; absent without PUBLIC_BASE_URL */
  exportLinks?: ExportLinks;
  /** what /privacy tells people about lifetimes */
  retention: RetentionFacts;
  keys: StateKeys;
  /** who has each conversation while a person answers it (src/handoff); `enabled` false without HANDOFF_TARGET */
  handoff: HandoffDesk;
  limiter: FairUseLimiter;
  signsOfLife: SignsOfLife;
  /** reasoning turns running longer than this get a "still thinking" note (0: never) */
  thinkingNoteAfterMs: number;
  media: {
    /** null: voice notes get a friendly "can't listen" answer */
    stt: SpeechToText | null;
    settings: MediaSettings;
    /** how long a photo waits for the question that usually follows it (0: no merging) */
    mergeWindowMs: number;
    /** turns carrying voice notes or photos in flight at once (MEDIA_READ_CONCURRENCY) */
    turnSlots: ProcessSlots;
  };
  logContent: boolean;
  logger: Logger;
  /** the worker's metrics: turns are counted in count-turn.ts, media runs in read-media.ts */
  metrics: Metrics;
}
