import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config';
import { createLogger } from '../src/logging';
import { startWeb } from '../webhooks/web';
import { startWorkers } from '../workers/worker';

/**
 * Threadline itself, unchanged: `web` and `worker` as child processes (what `npm run sandbox`
 * does, like the Procfile), or in this process (what the tests do, to stay quick on two cores).
 * Either way they get only an environment; nothing in the product knows about the sandbox.
 */

export interface RunningProduct {
  stop(): Promise<void>;
  /** rejects when a child process exits on its own */
  exited: Promise<never>;
}

const ROOT = path.resolve(__dirname, '..');

export async function startProductInProcess(
  env: Record<string, string | undefined>,
  webPort: number,
): Promise<RunningProduct> {
  const config = loadConfig(env);
  const logger = createLogger({
    level: config.log.level,
    name: 'sandbox-product',
    pseudonymKey: config.privacy.logPseudonymKey,
  });
  const web = await startWeb(config, logger, webPort);
  const workers = await startWorkers(config, logger);
  return {
    exited: new Promise<never>(() => undefined),
    async stop() {
      await workers.close();
      await web.close();
    },
  };
}

export function startProductProcesses(env: Record<string, string | undefined>, logDir: string): RunningProduct {
  mkdirSync(logDir, { recursive: true });
  const children: Array<{ name: string; child: ChildProcess }> = [];
  let stopping = false;
  let rejectExited: (error: Error) => void = () => undefined;
  const exited = new Promise<never>((_, reject) => {
    rejectExited = reject;
  });
  exited.catch(() => undefined);

  for (const [name, entry] of [
    ['web', 'webhooks/main.ts'],
    ['worker', 'workers/main.ts'],
  ] as const) {
    const logFile = path.join(logDir, `${name}.log`);
    const out = createWriteStream(logFile, { flags: 'a' });
    // tsx (a devDependency) runs the TypeScript sources directly: no build step for the user.
    const child = spawn(process.execPath, ['--import', 'tsx', entry], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(out);
    child.stderr?.pipe(out);
    child.once('exit', (code, signal) => {
      if (!stopping)
        rejectExited(
          new Error(`${name} exited (${signal ?? `code ${code}`}); see ${path.relative(process.cwd(), logFile)}`),
        );
    });
    children.push({ name, child });
  }

  return {
    exited,
    async stop() {
      stopping = true;
      await Promise.all(
        children.map(({ child }) => {
          if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
          const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
          child.kill('SIGTERM');
          const force = setTimeout(() => child.kill('SIGKILL'), 8000);
          return gone.finally(() => clearTimeout(force));
        }),
      );
    },
  };
}
