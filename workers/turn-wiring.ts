import type { Queue } from 'bullmq';
import type { RedisClient } from '../src/redis/connection';
import type { Config } from '../config';
import type { InboundMessage } from '../src/core/inbound';
import type { AnswerLedger } from '../src/conversation/answer-ledger';
import type { SentAnswers } from '../src/conversation/sent-answers';
import { ConversationHistory } from '../src/conversation/history';
import type { MessagingWindow } from '../src/conversation/messaging-window';
import type { RecipientOutbox } from '../src/conversation/recipient-outbox';
import { TurnOrder } from '../src/conversation/turn-order';
import { ConversationTurns } from '../src/conversation/conversation-turn';
import { ProcessSlots } from '../src/media/process-slots';
import { PendingQuestions } from '../src/conversation/pending-question';
import { AccountLinks } from '../src/people/account-links';
import { createAccountErasure } from '../src/privacy/account-erasure';
import { createPersonExporter } from '../src/privacy/person-export';
import { createExportLinks, type ExportLinks } from '../src/privacy/export-link';
import { createOpenAiChatModel, type ChatModel } from '../src/inference/chat-model';
import { createOpenAiSpeechToText, type SpeechToText } from '../src/inference/speech-to-text';
import { FairUseLimiter } from '../src/limits/fair-use-limiter';
import type { Logger } from '../src/logging';
import { ModeStore } from '../src/modes/mode-store';
import { PersonLanguages } from '../src/people/person-languages';
import type { PlatformRegistry } from '../src/platforms/registry';
import type { JobIds, OutboundJob } from '../src/queues/jobs';
import type { StateKeys } from '../src/redis/keys';
import { modeStateKeys } from '../src/redis/mode-state-keys';
import { SignsOfLife } from '../src/signs/signs-of-life';
import { MemoryStore } from '../src/memory/memory-store';
import { FirstContactMarks, type FirstContact } from '../src/privacy/first-contact';
import { memoryStateKeys } from '../src/redis/memory-state-keys';
import { firstContactNotice } from '../src/commands/memory-texts';
import type { TurnDependencies } from '../src/turn-state/turn-dependencies';
import type { RetentionFacts } from '../src/commands/privacy-texts';
import type { Sealer } from '../src/crypto/sealing';
import type { FfmpegSetup } from '../src/media/ffmpeg-setup';
import type { LiveCatalog } from '../src/catalog/live-catalog';
import type { Metrics } from '../src/metrics/metrics';
import { observeChatModel, observeSpeechToText } from '../src/inference/observed';
import { createCounterNames, type CounterName } from '../src/crypto/counter-names';
import type { KnowledgeSearch } from '../src/knowledge/passage';
import type { GroundingSources } from '../src/grounding/grounding';
import { createWebSearch } from '../src/grounding/web-search';
import type { ReminderJob } from '../src/queues/jobs';
import { reminderDependencies } from './reminder-wiring';
import { buildHandoffDesk } from '../src/handoff/build-desk';
import { handoffKeys } from '../src/handoff/handoff-state';
import { reminderStateKeys } from '../src/redis/reminder-state-keys';

/** What the worker already holds when it wires the turn: connections, queues and shared state. */
export interface TurnWiring {
  stateRedis: RedisClient;
  keys: StateKeys;
  inbound: Queue<InboundMessage>;
  outbound: Queue<OutboundJob>;
  remindersQueue: Queue<ReminderJob>;
  jobIds: JobIds;
  adapters: PlatformRegistry;
  ledger: AnswerLedger;
  sentAnswers: SentAnswers;
  outbox: RecipientOutbox;
  window: MessagingWindow;
  /** seals what is stored about a person (history) when a data key is set */
  sealer: Sealer;
  /** the ffmpeg binary chosen at start and its process slots */
  ffmpeg: FfmpegSetup;
  /** the live catalog (started by the worker), or null without one */
  catalog: LiveCatalog | null;
  /** the business's knowledge base every turn searches (started by the worker), or null when KNOWLEDGE_SOURCES is unset */
  knowledge: KnowledgeSearch | null;
  metrics: Metrics;
}

/** Builds the turn's dependencies from the config; warns about what is missing but keeps running. */
export function createTurnDependencies(config: Config, wiring: TurnWiring, logger: Logger): TurnDependencies {
  const { stateRedis, keys } = wiring;
  const counterName = createCounterNames(config.privacy.counterKey);
  const modeKeys = modeStateKeys(config.redis.prefix, counterName);
  const memoryKeys = memoryStateKeys(config.redis.prefix);
  const turnLogger = logger.child({ part: 'turns' });
  const links = accountLinks(config, stateRedis, counterName);
  const history = new ConversationHistory(stateRedis, keys.history, config.history, wiring.sealer);
  const modeStore = new ModeStore(stateRedis, modeKeys.mode, config.modes.auto.defaultChoice);
  const languages = new PersonLanguages(stateRedis, modeKeys.language);
  const limiter = new FairUseLimiter(stateRedis, modeKeys, config.limits, config.dedupeTtlSeconds);
  const memory = new MemoryStore(stateRedis, memoryKeys.memory, config.memory.ttlSeconds, wiring.sealer);
  const prefix = config.redis.prefix;
  const { reminders, store, zones } = reminderDependencies(config, wiring);
  const handoff = handoffDesk(config, wiring, logger);
  return {
    ...wiring,
    reminders,
    conversationTurns: conversationTurns(config, wiring, history.maxEntries),
    turnOrder: new TurnOrder(stateRedis, keys.inbox, keys.turnLock, config.jobs.lockMs, config.dedupeTtlSeconds),
    history,
    modes: config.modes,
    model: chatModel(config, wiring.metrics, logger),
    modeStore,
    checkoutUrl: config.orders.checkoutUrl,
    grounding: groundingSources(config, wiring.knowledge, logger),
    pendingQuestions: new PendingQuestions(stateRedis, keys.pendingQuestion, wiring.sealer),
    people: links,
    links,
    erasure: createAccountErasure(stateRedis, prefix, wiring.jobIds),
    defaultLanguage: config.defaultLanguage,
    languages,
    retention: retentionFacts(config),
    memory,
    firstContact: firstContact(config, memoryKeys.firstContactTold),
    limiter,
    handoff,
    exportLinks: exportLinks(config, wiring),
    exporter: createPersonExporter({
      redis: stateRedis,
      prefix,
      history,
      modeStore,
      languages,
      links,
      limiter,
      memory,
      reminders: store,
      zones,
      helpdesks: (conversation) => handoff.kept(conversation),
    }),
    signsOfLife: signsOfLife(config, stateRedis, modeKeys.thinkingNote, turnLogger),
    thinkingNoteAfterMs: config.signsOfLife.thinkingNoteAfterMs,
    media: mediaDependencies(config, wiring, logger),
    logContent: config.log.messageContent,
    logger: turnLogger,
  };
}

function accountLinks(config: Config, redis: TurnWiring['stateRedis'], counterName: CounterName): AccountLinks {
  return new AccountLinks(redis, config.redis.prefix, {
    counterName,
    wrongCodesPerHour: config.privacy.linkWrongCodesPerHour,
  });
}

/** The handoff core; with a target configured, it gives idle handoffs back while the worker runs. */
function handoffDesk(config: Config, wiring: TurnWiring, logger: Logger): TurnDependencies['handoff'] {
  const desk = buildHandoffDesk(config, {
    ...wiring,
    redis: wiring.stateRedis,
    logger: logger.child({ part: 'handoff' }),
  });
  return desk.enabled ? desk.watchIdle() : desk;
}

function signsOfLife(
  config: Config,
  redis: TurnWiring['stateRedis'],
  noteKey: (messageKey: string) => string,
  logger: Logger,
): SignsOfLife {
  const { typingRefreshMs } = config.signsOfLife;
  return new SignsOfLife({ redis, noteKey, typingRefreshMs, noteTtlSeconds: config.dedupeTtlSeconds, logger });
}

function mediaDependencies(config: Config, wiring: TurnWiring, logger: Logger): TurnDependencies['media'] {
  return {
    stt: speechToText(config, wiring.metrics, logger),
    settings: { ...config.media, ffmpegPath: wiring.ffmpeg.path, ffmpegProcesses: wiring.ffmpeg.processes },
    mergeWindowMs: config.media.mergeWindowMs,
    turnSlots: new ProcessSlots(config.concurrency.mediaTurns),
  };
}

/** What /privacy tells people about lifetimes, from the settings that set them. */
function retentionFacts(config: Config): RetentionFacts {
  return {
    businessName: config.businessName,
    historyDays: Math.round(config.history.ttlSeconds / 86400),
    recordHours: Math.round(config.dedupeTtlSeconds / 3600),
    ...(config.handoff.targets.length > 0 ? { handoffIdleHours: Math.ceil(config.handoff.idleSeconds / 3600) } : {}),
  };
}

/** One-time export links need the address people reach `web` at; without it none are made. */
function exportLinks(config: Config, wiring: TurnWiring): ExportLinks | undefined {
  if (!config.publicBaseUrl) return undefined;
  return createExportLinks({
    redis: wiring.stateRedis,
    keys: wiring.keys,
    sealer: wiring.sealer,
    appSecret: config.meta.appSecret,
    publicBaseUrl: config.publicBaseUrl,
  });
}

function conversationTurns(config: Config, wiring: TurnWiring, historyEntries: number): ConversationTurns {
  const memoryKeys = memoryStateKeys(config.redis.prefix);
  const { ttlSeconds } = config.history;
  return new ConversationTurns(wiring.stateRedis, {
    keys: wiring.keys,
    toldKey: memoryKeys.firstContactTold,
    lockMs: config.jobs.lockMs,
    ledgerTtlSeconds: config.dedupeTtlSeconds,
    history: { maxEntries: historyEntries, ttlSeconds },
    toldTtlSeconds: ttlSeconds,
    handoffKey: handoffKeys(config.redis.prefix).state,
    wroteKey: reminderStateKeys(config.redis.prefix).lastWrote,
  });
}

function firstContact(config: Config, keyOf: (conversation: string) => string): FirstContact | null {
  if (!config.aiDisclosure) return null;
  // The mark lives as long as the history the notice speaks about.
  const ttlSeconds = config.history.ttlSeconds;
  return {
    marks: new FirstContactMarks(keyOf, ttlSeconds),
    notice: (t) => firstContactNotice(t, config.businessName, Math.round(ttlSeconds / 86_400)),
  };
}

function chatModel(config: Config, metrics: Metrics, logger: Logger): ChatModel | null {
  const { baseUrl, apiKey, timeoutMs, models, provider } = config.llm;
  const onDetected = (detected: string) => logger.info({ provider: detected }, 'model backend identified itself');
  const options = { baseUrl: baseUrl ?? '', apiKey, timeoutMs, provider, onDetected };
  const model = baseUrl ? observeChatModel(createOpenAiChatModel(options), metrics) : null;
  if (!model || !models.fast) {
    logger.warn('no model configured (LLM_BASE_URL, LLM_MODEL_FAST): users will be told the bot is not connected');
  }
  return model;
}

function speechToText(config: Config, metrics: Metrics, logger: Logger): SpeechToText | null {
  const { baseUrl, apiKey, model, timeoutMs } = config.stt;
  if (baseUrl) return observeSpeechToText(createOpenAiSpeechToText({ baseUrl, apiKey, model, timeoutMs }), metrics);
  logger.warn('no speech-to-text configured (STT_BASE_URL or LLM_BASE_URL): voice notes will be apologised for');
  return null;
}

function groundingSources(config: Config, knowledge: KnowledgeSearch | null, logger: Logger): GroundingSources {
  const { strict, webSearch } = config.answers;
  if (webSearch) logger.info({ provider: webSearch.provider }, 'web search is on: the model may call search_web');
  if (strict && !knowledge)
    logger.warn('KNOWLEDGE_STRICT=on without knowledge: questions about the business get "I don\'t know"');
  return {
    knowledge,
    web: webSearch ? createWebSearch(webSearch) : null,
    strict,
    businessName: config.businessName,
  };
}
