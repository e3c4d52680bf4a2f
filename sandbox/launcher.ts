import path from 'node:path';
import { parseSandboxEnv, sandboxProcessEnv } from '../config/sandbox-env';
import { RedisNotAvailableError } from './redis';
import { startSandbox } from './start-sandbox';

/**
 * `npm run sandbox`: the whole product on this machine with no Meta account. Prints the page's
 * URL, and stops everything it started on Ctrl-C. The console is for people: one line per part.
 */
const say = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const source = sandboxProcessEnv();
  const env = parseSandboxEnv(source);
  const root = path.resolve(__dirname, '..');
  say('Threadline sandbox: starting Redis, a model, a Meta emulator, web and worker…');
  const sandbox = await startSandbox({
    env,
    passThrough: source,
    product: 'child-processes',
    dataDir: path.join(root, '.sandbox'),
    say,
  });

  say('');
  say(`  ➜  Open ${sandbox.url}`);
  if (sandbox.model.hint) say(`  ℹ  ${sandbox.model.hint}`);
  say('  Ctrl-C stops everything.');

  let stopping = false;
  const stop = (why: string, code: number) => {
    if (stopping) return;
    stopping = true;
    say(`\n${why}: stopping web, worker, emulator${sandbox.redis.origin === 'started' ? ', redis-server' : ''}…`);
    sandbox.stop().then(
      () => process.exit(code),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('Ctrl-C', 0));
  process.on('SIGTERM', () => stop('SIGTERM', 0));
  sandbox.exited.catch((error: unknown) => stop(error instanceof Error ? error.message : String(error), 1));
}

main().catch((error: unknown) => {
  if (error instanceof RedisNotAvailableError) {
    process.stderr.write(`\n${error.message}\n`);
    process.exit(69); // EX_UNAVAILABLE
  }
  process.stderr.write(`\nThe sandbox could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
