import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { SandboxEnv } from '../config/sandbox-env';
import { demoEmulatorCatalog, writeSandboxFeed } from './catalog/demo-shop';
import { sandboxPlatforms } from './emulator/ids';
import { MetaEmulator } from './emulator/meta-emulator';
import { startFrontServer, type FrontServer, type FrontServerOptions } from './front-server';
import { chooseModelSource, type ModelSource } from './model-source';
import { startProductInProcess, startProductProcesses, type RunningProduct } from './product-processes';
import { findRedis, freePort, type SandboxRedis } from './redis';
import { describeSandboxLimits, sandboxLimits } from './sandbox-limits';
import { SandboxHelpdesk } from './helpdesk';

export interface SandboxOptions {
  env: SandboxEnv;
  /** the launcher's whole environment, passed on to web and worker (sandbox values win) */
  passThrough: Record<string, string | undefined>;
  product: 'child-processes' | 'in-process';
  /** .sandbox/ under the project: Redis data and process logs */
  dataDir: string;
  /** tests: faster status webhooks, fewer retries */
  emulator?: { readAfterMs?: number; retryDelaysMs?: number[] };
  say?: (line: string) => void;
}

export interface RunningSandbox {
  url: string;
  port: number;
  emulator: MetaEmulator;
  model: ModelSource;
  redis: SandboxRedis;
  productEnv: Record<string, string>;
  /** rejects if web or worker dies */
  exited: Promise<never>;
  stop(): Promise<void>;
}

const secret = () => randomBytes(16).toString('hex');

async function waitForHealth(webUrl: string, exited: Promise<never>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let failure: Error | undefined;
  exited.catch((error: unknown) => {
    failure = error instanceof Error ? error : new Error(`web process failed: ${JSON.stringify(error)}`);
  });
  for (;;) {
    if (failure) throw failure instanceof Error ? failure : new Error('web or worker exited', { cause: failure });
    try {
      const response = await fetch(`${webUrl}/readyz`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`Threadline's web process did not become ready within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * The demo shop unless the operator named a catalog of their own: as a feed (image links on the
 * page server) or, with SANDBOX_CATALOG=commerce-manager, as the Commerce Manager catalog the
 * emulator serves through its Graph catalog edge.
 */
async function chooseCatalog(
  options: SandboxOptions,
  emulator: MetaEmulator,
  origin: string,
): Promise<{ env: Record<string, string>; label: string }> {
  // The emulator holds the demo shop as the business's Commerce Manager catalog in every case.
  emulator.catalog = demoEmulatorCatalog(origin);
  const own = options.env.CATALOG_FEED ?? options.env.META_CATALOG_ID;
  if (own) return { env: {}, label: `your own (${options.env.CATALOG_FEED ? 'CATALOG_FEED' : 'META_CATALOG_ID'})` };
  if (options.env.SANDBOX_CATALOG === 'commerce-manager') {
    const id = emulator.catalog.id;
    return { env: { META_CATALOG_ID: id }, label: `demo shop as Commerce Manager catalog ${id} (Graph catalog edge)` };
  }
  const feed = await writeSandboxFeed(path.join(options.dataDir, 'catalog'), origin);
  return { env: { CATALOG_FEED: feed }, label: `demo shop, 200 invented products (${feed})` };
}

/** A page port another process holds, said the way `web` says it: the port, and PORT to move it. */
function portTaken(error: unknown, port: number): unknown {
  if ((error as NodeJS.ErrnoException | undefined)?.code !== 'EADDRINUSE') return error;
  return new Error(`port ${port} is taken; set PORT to another (PORT=${port + 1} npm run sandbox)`, { cause: error });
}

/** The demo shop's help centre (shipping, returns, sizes, store hours, warranty, privacy) in Markdown. */
export const DEMO_HELP_CENTRE = path.join(__dirname, 'help-centre');

/** The demo help centre as the business's knowledge, unless the operator named sources of their own. */
function chooseKnowledge(options: SandboxOptions): { env: Record<string, string>; label: string } {
  const own = options.passThrough.KNOWLEDGE_SOURCES;
  if (own) return { env: {}, label: `your own (KNOWLEDGE_SOURCES=${own})` };
  return { env: { KNOWLEDGE_SOURCES: DEMO_HELP_CENTRE }, label: `demo help centre, 6 pages (${DEMO_HELP_CENTRE})` };
}

/** What stops each part already started, in the order they started. */
type Cleanups = Array<() => Promise<void>>;
type Say = (line: string) => void;

async function startRedis(options: SandboxOptions, say: Say, cleanups: Cleanups): Promise<SandboxRedis> {
  const redis = await findRedis({ redisUrl: options.env.REDIS_URL, dataDir: path.join(options.dataDir, 'redis') });
  cleanups.push(() => redis.stop());
  say(
    `redis     ${redis.url} (${redis.origin === 'started' ? 'started redis-server, data in .sandbox/redis' : redis.origin})`,
  );
  return redis;
}

async function startModel(options: SandboxOptions, say: Say, cleanups: Cleanups): Promise<ModelSource> {
  const model = await chooseModelSource(options.env);
  cleanups.push(() => model.stop());
  say(`model     ${model.label}`);
  return model;
}

/** The secrets the emulator and the product share, fresh for every start. */
interface MetaSecrets {
  tokens: { whatsapp: string; messenger: string; instagram: string };
  appSecret: string;
  verifyToken: string;
}

async function startEmulator(
  options: SandboxOptions,
  say: Say,
  cleanups: Cleanups,
): Promise<{ emulator: MetaEmulator; secrets: MetaSecrets }> {
  const tokens = {
    whatsapp: `sbx-wa-${secret()}`,
    messenger: `sbx-page-${secret()}`,
    instagram: `sbx-ig-${secret()}`,
  };
  const appSecret = secret();
  const verifyToken = secret();
  const emulator = await new MetaEmulator({ appSecret, verifyToken, tokens, ...options.emulator }).start();
  cleanups.push(() => emulator.stop());
  say(`meta      Graph API emulator at ${emulator.url}`);
  return { emulator, secrets: { tokens, appSecret, verifyToken } };
}

/** What the product's web and worker are configured with: the launcher's environment, then the sandbox's. */
function productEnvironment(
  options: SandboxOptions,
  parts: { webPort: number; redis: SandboxRedis; emulatorUrl: string; secrets: MetaSecrets; pageUrl: string },
  catalogEnv: Record<string, string>,
  modelEnv: Record<string, string>,
): Record<string, string> {
  const { INSTAGRAM_APP_SECRET: _ignored, ...passThrough } = options.passThrough;
  const { tokens } = parts.secrets;
  return {
    ...(Object.fromEntries(Object.entries(passThrough).filter(([, v]) => v !== undefined)) as Record<string, string>),
    PORT: String(parts.webPort),
    REDIS_URL: parts.redis.url,
    QUEUE_PREFIX: options.env.QUEUE_PREFIX,
    META_APP_SECRET: parts.secrets.appSecret,
    META_VERIFY_TOKEN: parts.secrets.verifyToken,
    GRAPH_API_URL: parts.emulatorUrl,
    INSTAGRAM_GRAPH_API_URL: parts.emulatorUrl,
    WHATSAPP_ACCESS_TOKEN: tokens.whatsapp,
    MESSENGER_PAGE_ACCESS_TOKEN: tokens.messenger,
    INSTAGRAM_ACCESS_TOKEN: tokens.instagram,
    // Media comes from the emulator, so its host must be allowed (the product checks every URL).
    MEDIA_ALLOWED_HOSTS: '127.0.0.1,localhost',
    // The page server proxies to web, so links web serves (an Instagram /export) open from the page.
    PUBLIC_BASE_URL: parts.pageUrl,
    LOG_LEVEL: options.env.LOG_LEVEL,
    ...sandboxLimits(options.passThrough),
    ...catalogEnv,
    ...modelEnv,
  };
}

/** Starts web and worker, waits until web is ready, and points the emulator's webhooks at it. */
async function startProduct(
  options: SandboxOptions,
  productEnv: Record<string, string>,
  web: { port: number; url: string },
  emulator: MetaEmulator,
  cleanups: Cleanups,
): Promise<RunningProduct> {
  const product: RunningProduct =
    options.product === 'in-process'
      ? await startProductInProcess(productEnv, web.port)
      : startProductProcesses(productEnv, path.join(options.dataDir, 'logs'));
  cleanups.push(() => product.stop());
  await waitForHealth(web.url, product.exited, 60_000);
  emulator.connect(web.url);
  return product;
}

async function verifyWebhooks(emulator: MetaEmulator, handshakes: Record<string, boolean>, say: Say): Promise<void> {
  for (const platform of sandboxPlatforms) handshakes[platform] = (await emulator.verifyWebhook(platform)).ok;
  say(`webhooks  verified: ${sandboxPlatforms.map((p) => `${p} ${handshakes[p] ? 'ok' : 'FAILED'}`).join(', ')}`);
}

/** The page on PORT (with the agent pane's helpdesk), named by PORT when the port is taken. */
async function startPage(
  options: SandboxOptions,
  parts: Pick<FrontServerOptions, 'emulator' | 'webUrl' | 'info' | 'helpdesk'>,
): Promise<FrontServer> {
  return startFrontServer({ port: options.env.PORT, host: options.env.SANDBOX_HOST, ...parts }).catch(
    (error: unknown) => {
      throw portTaken(error, options.env.PORT);
    },
  );
}

/**
 * Everything `npm run sandbox` starts, in order: Redis, the model source, the Meta emulator,
 * the page on PORT, the demo shop's feed, then Threadline's web and worker (configured only
 * through their environment).
 */
export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const say = options.say ?? (() => undefined);
  const cleanups: Cleanups = [];
  const stopAll = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const redis = await startRedis(options, say, cleanups);
    const model = await startModel(options, say, cleanups);
    const { emulator, secrets } = await startEmulator(options, say, cleanups);

    const webPort = await freePort();
    const webUrl = `http://127.0.0.1:${webPort}`;
    // The page server starts first: its origin is where the demo shop's image links point.
    const handshakes: Record<string, boolean> = {};
    const helpdesk = new SandboxHelpdesk();
    helpdesk.webUrl = webUrl;
    const info = () => ({
      model: { kind: model.kind, label: model.label, model: model.model, hint: model.hint },
      handshakes,
      redis: redis.origin,
    });
    const front = await startPage(options, { emulator, webUrl, info, helpdesk });
    cleanups.push(() => front.stop());
    const catalog = await chooseCatalog(options, emulator, front.url);
    say(`catalog   ${catalog.label}`);
    const knowledge = chooseKnowledge(options);
    say(`knowledge ${knowledge.label}`);
    say(describeSandboxLimits(options.passThrough));

    const parts = { webPort, redis, emulatorUrl: emulator.url, secrets, pageUrl: front.url };
    // The agent pane's desk is the handoff target unless the operator configured one of their own.
    const handoffEnv = options.passThrough.HANDOFF_TARGET ? {} : helpdesk.productEnv(front.url);
    const productEnv = productEnvironment(
      options,
      parts,
      { ...catalog.env, ...knowledge.env, ...handoffEnv },
      model.env,
    );
    const product = await startProduct(options, productEnv, { port: webPort, url: webUrl }, emulator, cleanups);
    say(
      `threadline web on ${webUrl}, worker running${options.product === 'child-processes' ? ' (logs in .sandbox/logs/)' : ''}`,
    );
    await verifyWebhooks(emulator, handshakes, say);

    return {
      url: `${front.url}/sandbox`,
      port: front.port,
      emulator,
      model,
      redis,
      productEnv,
      exited: product.exited,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
