import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { chooseCatalog, chooseKnowledge } from './demo-business';
import { sandboxPlatforms } from './emulator/ids';
import { MetaEmulator } from './emulator/meta-emulator';
import { startFrontServer, type FrontServer } from './front-server';
import { chooseModelSource, type ModelSource } from './model-source';
import { productEnvironment, type MetaSecrets } from './product-env';
import { startProductInProcess, startProductProcesses, type RunningProduct } from './product-processes';
import { findRedis, freePort, type SandboxRedis } from './redis';
import { describeSandboxLimits } from './sandbox-limits';
import type { Cleanups, RunningSandbox, SandboxOptions, Say } from './sandbox-options';
import { SandboxHelpdesk } from './helpdesk';

export type { RunningSandbox, SandboxOptions } from './sandbox-options';

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

/** A page port another process holds, said the way `web` says it: the port, and PORT to move it. */
function portTaken(error: unknown, port: number): unknown {
  if ((error as NodeJS.ErrnoException | undefined)?.code !== 'EADDRINUSE') return error;
  return new Error(`port ${port} is taken; set PORT to another (PORT=${port + 1} npm run sandbox)`, { cause: error });
}

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

/** The chat page on PORT, with what its badges show: the model, the webhook handshakes, Redis. */
async function startPage(
  options: SandboxOptions,
  parts: {
    emulator: MetaEmulator;
    webUrl: string;
    model: ModelSource;
    redis: SandboxRedis;
    handshakes: Record<string, boolean>;
    /** the helpdesk the agent pane plays */
    helpdesk: SandboxHelpdesk;
  },
  cleanups: Cleanups,
): Promise<FrontServer> {
  const { model, handshakes } = parts;
  const front = await startFrontServer({
    port: options.env.PORT,
    host: options.env.SANDBOX_HOST,
    emulator: parts.emulator,
    webUrl: parts.webUrl,
    helpdesk: parts.helpdesk,
    info: () => ({
      model: { kind: model.kind, label: model.label, model: model.model, hint: model.hint },
      handshakes,
      redis: parts.redis.origin,
    }),
  }).catch((error: unknown) => {
    throw portTaken(error, options.env.PORT);
  });
  cleanups.push(() => front.stop());
  return front;
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
    const front = await startPage(options, { emulator, webUrl, model, redis, handshakes, helpdesk }, cleanups);
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
