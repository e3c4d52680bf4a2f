import type { DocumentSettings, VideoSettings } from './env-media';
import type { Env, LimitSpec } from './env';
import type { SHIPPED_LANGUAGES } from './env-values';
import type { LlmProvider } from './env-llm';
import type { RedisClusterTarget } from './redis-target';
import type { KnowledgeConfig } from './env-knowledge';
import type { AnswersConfig } from './env-answers';
import type { ChatwootConfig } from './env-chatwoot';
import type { RemindersConfig } from './env-reminders';
import type { HandoffConfig } from './env-handoff';

/** How one mode answers. */
export interface ModeConfig {
  model: string | undefined;
  /** undefined: the built-in prompt for the mode */
  systemPrompt: string | undefined;
  maxTokens: number;
  timeoutMs: number;
  reasoningEffort: Env['LLM_REASONING_EFFORT_THINKING'];
}

/**
 * The parsed environment, arranged by the part of the system that uses it. Defaults that depend
 * on other variables (Instagram's secret, the speech-to-text endpoint) are resolved here, once.
 */
export interface Config {
  port: number;
  log: { level: Env['LOG_LEVEL']; messageContent: boolean };
  /** `cluster` is set when REDIS_URL or REDIS_CLUSTER_NODES names a Redis Cluster; `url` is then informative. */
  redis: { url: string; prefix: string; cluster: RedisClusterTarget | null };
  meta: {
    appSecret: string;
    verifyToken: string;
    instagramAppSecret: string;
    graphApiUrl: string;
    graphApiVersion: string;
    instagramGraphApiUrl: string;
    timeoutMs: number;
  };
  /** A channel whose token is unset is off: its webhook routes answer 404 and nothing is sent. */
  channels: {
    whatsapp: { accessToken: string } | null;
    messenger: { accessToken: string } | null;
    instagram: { accessToken: string } | null;
  };
  mediaAllowedHosts: string[];
  llm: {
    baseUrl: string | undefined;
    apiKey: string | undefined;
    /** LLM_PROVIDER; undefined: generic, until the server identifies itself */
    provider: LlmProvider | undefined;
    /** the fast mode's model: without it (or a base URL) users are told the bot is not connected */
    models: { fast: string | undefined };
    timeoutMs: number;
  };
  stt: { baseUrl: string | undefined; apiKey: string | undefined; model: string; timeoutMs: number };
  media: {
    maxAudioBytes: number;
    maxImageBytes: number;
    downloadTimeoutMs: number;
    voiceNoteMaxSeconds: number;
    transcodeTimeoutMs: number;
    imageMaxSidePx: number;
    imageMaxOutputBytes: number;
    mergeWindowMs: number;
    ffmpegPath: string | undefined;
    imageMaxPixels: number;
    maxAttachments: number;
    concurrency: number;
    ffmpegMaxMemoryMb: number;
    documents: DocumentSettings;
    video: VideoSettings;
  };
  history: { maxTurns: number; maxChars: number; ttlSeconds: number };
  dedupeTtlSeconds: number;
  webhookBodyLimitBytes: number;
  /** turns at once per worker; of them, turns holding media; send jobs at once */
  concurrency: { turns: number; mediaTurns: number; sends: number };
  turnRetry: { attempts: number; delayMs: number };
  // modes, commands and fair-use limits
  modes: {
    fast: ModeConfig;
    thinking: ModeConfig;
    contemplating: ModeConfig & { drafts: number };
    /** the fast model with the product tools (it must see photos: the vision-capable one) */
    shopping: ModeConfig;
    /** DEFAULT_MODE, and how auto picks fast or thinking: the router model (optional) and its budget */
    auto: {
      defaultChoice: Env['DEFAULT_MODE'];
      routerModel: string | undefined;
      routerTimeoutMs: number;
    };
  };
  /** null = that limit is off */
  limits: {
    fast: LimitSpec | null;
    thinking: LimitSpec | null;
    contemplating: LimitSpec | null;
    shopping: LimitSpec | null;
    burst: LimitSpec | null;
    globalDaily: LimitSpec | null;
    /** userIds or platform:userId */
    exemptUsers: string[];
    /** per user, model turns a day across modes */
    userDaily: LimitSpec | null;
  };
  signsOfLife: { typingRefreshMs: number; thinkingNoteAfterMs: number };
  /** BullMQ lock and stall settings, shutdown grace, send retries */
  jobs: { lockMs: number; stalledIntervalMs: number; shutdownGraceMs: number; sendAttempts: number };
  /** the web process's defences against slow and hostile clients (docs/security.md) */
  web: { headersTimeoutMs: number; requestTimeoutMs: number; maxConnections: number; refusalLogIntervalMs: number };
  /** the worker's metrics server (port 0: off; on `host`) and the bearer token both processes' /metrics require */
  metrics: { port: number; host: string; token: string | undefined };
  /** the queue dashboard on web; null when ADMIN_TOKEN is unset */
  admin: { token: string; readOnly: boolean } | null;
  // --- privacy ---
  businessName: string | undefined;
  /** the first-contact notice: on unless AI_DISCLOSURE=off */
  aiDisclosure: boolean;
  /** the language of fixed texts until a person's own is known (an ISO 639-1 code src/i18n ships) */
  defaultLanguage: (typeof SHIPPED_LANGUAGES)[number];
  /** remembered facts (src/memory): an unused fact lives this long */
  memory: { ttlSeconds: number };
  /** no trailing slash; undefined: status links are built from the request's Host */
  publicBaseUrl: string | undefined;
  privacy: {
    /** undefined: stored values are plaintext (sealed ones can then not be read) */
    encryptionKey: Buffer | undefined;
    oldEncryptionKeys: Buffer[];
    /** keys the hash that replaces user ids in logs */
    logPseudonymKey: Buffer;
    /** keys the names of counters that outlive an erasure (link tries, fair-use counts) */
    counterKey: Buffer;
    /** wrong /link codes accepted an hour across the deployment (LINK_WRONG_CODES_PER_HOUR) */
    linkWrongCodesPerHour: number;
  };
  /** the shopping catalog: null when neither a feed nor a Meta catalog is configured */
  catalog: {
    feed: string | undefined;
    metaCatalogId: string | undefined;
    /** the token that reads META_CATALOG_ID through the Graph API */
    graphAccessToken: string | undefined;
    refreshIntervalMs: number;
    /** CATALOG_FEED_MAX_BYTES */
    feedMaxBytes: number;
  } | null;
  orders: { checkoutUrl: string | undefined };
  /** the business's own documents (KNOWLEDGE_SOURCES): null when none are configured */
  knowledge: KnowledgeConfig | null;
  /** strict answers from the business's knowledge, and the optional web search */
  answers: AnswersConfig;
  /** the Chatwoot handoff target (CHATWOOT_BASE_URL): null when not configured */
  chatwoot: ChatwootConfig | null;
  /** REMINDERS_MAX and the WhatsApp template for reminders outside the 24-hour window */
  reminders: RemindersConfig;
  /** handing conversations to a person (HANDOFF_*): targets empty when off */
  handoff: HandoffConfig;
}
