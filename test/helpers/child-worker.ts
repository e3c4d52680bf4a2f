import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { Config } from '../../config';
import { TEST_APP_SECRET, TEST_VERIFY_TOKEN } from './system';

const ROOT = path.resolve(__dirname, '../..');

/** The environment that makes a child process join a test system (same Redis, prefix and fakes). */
export function childEnv(config: Config, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    REDIS_URL: config.redis.url,
    QUEUE_PREFIX: config.redis.prefix,
    META_APP_SECRET: TEST_APP_SECRET,
    META_VERIFY_TOKEN: TEST_VERIFY_TOKEN,
    WHATSAPP_ACCESS_TOKEN: 'wa-token',
    MESSENGER_PAGE_ACCESS_TOKEN: 'page-token',
    INSTAGRAM_ACCESS_TOKEN: 'ig-token',
    GRAPH_API_URL: config.meta.graphApiUrl,
    INSTAGRAM_GRAPH_API_URL: config.meta.instagramGraphApiUrl,
    LLM_BASE_URL: config.llm.baseUrl ?? '',
    LLM_MODEL_FAST: config.llm.models.fast ?? '',
    TURN_RETRY_DELAY_MS: String(config.turnRetry.delayMs),
    AI_DISCLOSURE: config.aiDisclosure ? 'on' : 'off',
    METRICS_PORT: String(config.metrics.port),
    DEFAULT_MODE: config.modes.auto.defaultChoice,
    ...overrides,
  };
}

/**
 * A real `worker` process (workers/main.ts run through tsx), so a test can SIGKILL or SIGTERM it
 * like an orchestrator would. `output` collects its log lines.
 */
export class ChildWorker {
  readonly output: string[] = [];
  /** what the process wrote to stderr alone (pino logs go to stdout) */
  readonly stderr: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;

  constructor(
    env: Record<string, string>,
    /** the entry point: the worker by default, `webhooks/main.ts` for the web process */
    entry = 'workers/main.ts',
  ) {
    this.child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), path.join(ROOT, entry)], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer) => this.output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    this.child.stdout!.on('data', collect);
    this.child.stderr!.on('data', (chunk: Buffer) => {
      collect(chunk);
      this.stderr.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    });
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Resolves when the worker logged that it started. */
  async ready(timeoutMs = 20_000): Promise<void> {
    await this.waitForLog(/"msg":"workers started"/, timeoutMs);
  }

  async waitForLog(pattern: RegExp, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.output.some((line) => pattern.test(line))) {
      if (this.child.exitCode !== null)
        throw new Error(`worker exited (${this.child.exitCode}):\n${this.output.join('\n')}`);
      if (Date.now() > deadline) throw new Error(`worker did not log ${pattern}:\n${this.output.join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  kill(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null) this.child.kill(signal);
  }

  /** Makes sure the process is gone (test cleanup). */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }
}
