import type { SandboxRedis } from './redis';
import { sandboxLimits } from './sandbox-limits';
import type { SandboxOptions } from './sandbox-options';

/** The secrets the emulator and the product share, fresh for every start. */
export interface MetaSecrets {
  tokens: { whatsapp: string; messenger: string; instagram: string };
  appSecret: string;
  verifyToken: string;
}

/** What the product's web and worker are configured with: the launcher's environment, then the sandbox's. */
export function productEnvironment(
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
