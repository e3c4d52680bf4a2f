import net from 'node:net';
import { parseSandboxEnv } from '../config/sandbox-env';
import { startFrontServer, type FrontServer } from '../sandbox/front-server';
import { MetaEmulator } from '../sandbox/emulator/meta-emulator';
import { startTestSandbox } from './sandbox/start-test-sandbox';

/**
 * The sandbox page's API injects signed messages that spend the operator's model key, so it must
 * not be reachable from the network unless SANDBOX_HOST opens it. On Linux every 127.x.y.z address
 * reaches the machine, but a server bound to 127.0.0.1 accepts only that one: connecting through
 * 127.0.0.2 stands in for "another interface" without needing a second network card.
 */

/** 'open' when a TCP connection is accepted, 'refused' otherwise. */
function probe(host: string, port: number): Promise<'open' | 'refused'> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(2000);
    socket.once('connect', () => {
      socket.destroy();
      resolve('open');
    });
    socket.once('error', () => resolve('refused'));
    socket.once('timeout', () => {
      socket.destroy();
      resolve('refused');
    });
  });
}

const emulator = () =>
  new MetaEmulator({
    appSecret: 'secret',
    verifyToken: 'verify',
    tokens: { whatsapp: 'wa', messenger: 'page', instagram: 'ig' },
  });

describe('sandbox front server listen address', () => {
  let front: FrontServer | undefined;
  afterEach(async () => {
    await front?.stop();
    front = undefined;
  });

  it('defaults SANDBOX_HOST to 127.0.0.1', () => {
    expect(parseSandboxEnv({}).SANDBOX_HOST).toBe('127.0.0.1');
    expect(parseSandboxEnv({ SANDBOX_HOST: '0.0.0.0' }).SANDBOX_HOST).toBe('0.0.0.0');
  });

  it('the whole sandbox, as launched, answers on loopback only', async () => {
    const sandbox = await startTestSandbox();
    try {
      expect(sandbox.url).toBe(`http://127.0.0.1:${sandbox.port}/sandbox`);
      expect(await probe('127.0.0.1', sandbox.port)).toBe('open');
      expect(await probe('127.0.0.2', sandbox.port)).toBe('refused');
      const state = await fetch(`http://127.0.0.1:${sandbox.port}/sandbox/api/state`);
      expect(state.status).toBe(200);
    } finally {
      await sandbox.cleanup();
    }
  });

  it('listens on every interface only when SANDBOX_HOST says so', async () => {
    front = await startFrontServer({
      port: 0,
      host: parseSandboxEnv({ SANDBOX_HOST: '0.0.0.0' }).SANDBOX_HOST,
      emulator: emulator(),
      webUrl: 'http://127.0.0.1:9',
      info: () => ({}),
    });
    expect(front.url).toBe(`http://localhost:${front.port}`);
    expect(await probe('127.0.0.2', front.port)).toBe('open');
  });
});
