import { networkInterfaces } from 'node:os';
import { freePort } from '../sandbox/redis';
import { ChildWorker, childEnv } from './helpers/child-worker';
import { whatsAppText } from './helpers/payloads';
import { replies } from './helpers/replies';
import { startSystem, type TestSystem } from './helpers/system';
import { defined, firstOf } from './helpers/present';

/**
 * Where the worker's /metrics listens: on loopback unless METRICS_HOST opens it, so a worker
 * deployed with defaults shows nothing to the network; and a port already taken (a second worker
 * on the same host, the sandbox beside a running worker) costs that worker its metrics, with a
 * warning that says why, never the worker itself.
 */
const nonLoopback = Object.values(networkInterfaces())
  .flat()
  .find((address) => address && address.family === 'IPv4' && !address.internal)?.address;

async function answers(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(2000) })).ok;
  } catch {
    return false;
  }
}

describe('the worker metrics address', () => {
  let system: TestSystem | undefined;
  let second: ChildWorker | undefined;
  afterEach(async () => {
    await second?.stop();
    second = undefined;
    await system?.stop();
    system = undefined;
  });

  it('listens on 127.0.0.1 by default and cannot be reached on the host’s other addresses', async () => {
    const port = await freePort();
    system = await startSystem({ env: { METRICS_PORT: String(port) } });
    expect(defined(system.workers).metricsPort).toBe(port);
    expect(defined(system.workers).metricsHost).toBe('127.0.0.1');
    expect(await answers(`http://127.0.0.1:${port}/healthz`)).toBe(true);
    if (nonLoopback) expect(await answers(`http://${nonLoopback}:${port}/healthz`)).toBe(false);
  });

  it('listens where METRICS_HOST says', async () => {
    system = await startSystem({ env: { METRICS_PORT: String(await freePort()), METRICS_HOST: '0.0.0.0' } });
    expect(defined(system.workers).metricsHost).toBe('0.0.0.0');
    if (nonLoopback) {
      expect(await answers(`http://${nonLoopback}:${defined(system.workers).metricsPort}/healthz`)).toBe(true);
    }
  });

  it('runs two workers with the same METRICS_PORT: the second warns, keeps running without metrics, and both answer', async () => {
    const port = await freePort();
    system = await startSystem({ env: { METRICS_PORT: String(port) } });
    await system.deliver('whatsapp', whatsAppText('16505550961', 'first worker?'));
    await system.graph.waitFor(() => replies(system!.graph, '16505550961').length === 1);

    second = new ChildWorker(childEnv(system.config, { METRICS_PORT: String(port) }));
    await second.ready(30_000);
    expect(second.output.some((line) => /"level":40.*"code":"EADDRINUSE".*metrics port is taken/.test(line))).toBe(
      true,
    );
    // The first worker still owns the port and answers scrapes.
    expect(await answers(`http://127.0.0.1:${port}/metrics`)).toBe(true);

    // With the first worker gone, the second answers the next message on its own.
    await defined(system.workers).close();
    system.workers = undefined;
    await system.deliver('whatsapp', whatsAppText('16505550962', 'second worker?'));
    await system.graph.waitFor(() => replies(system!.graph, '16505550962').length === 1, 20_000);
    expect(firstOf(replies(system.graph, '16505550962')).text).toBe('echo: second worker? (history: 0)');
    const state = await Promise.race([
      second.exited.then(() => 'exited'),
      new Promise((resolve) => setTimeout(() => resolve('running'), 200)),
    ]);
    expect(state).toBe('running');
  }, 60_000);
});
