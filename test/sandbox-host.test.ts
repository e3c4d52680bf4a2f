import http from 'node:http';
import net from 'node:net';
import { parseSandboxEnv } from '../config/sandbox-env';
import { startFrontServer, type FrontServer } from '../sandbox/front-server';
import { MetaEmulator } from '../sandbox/emulator/meta-emulator';
import { startTestSandbox, waitUntil } from './sandbox/start-test-sandbox';

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

/** One request with the Host and Origin a browser would send (fetch cannot set Host). */
function request(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string; connectTo?: string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: options.connectTo ?? '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: options.headers,
      },
      (res) => {
        // The event stream never ends: its status is all the test needs.
        if (res.headers['content-type'] === 'text/event-stream') {
          res.destroy();
          return resolve({ status: res.statusCode ?? 0, body: '' });
        }
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('sandbox page and API refuse other sites', () => {
  let sandbox: Awaited<ReturnType<typeof startTestSandbox>>;
  beforeAll(async () => {
    sandbox = await startTestSandbox();
  });
  afterAll(async () => {
    await sandbox?.cleanup();
  });

  const userTexts = () =>
    sandbox.emulator.log
      .snapshot()
      .items.filter((i) => i.from === 'user')
      .map((i) => i.text);

  it('refuses a cross-site form, a foreign Origin and a DNS-rebound Host; sends nothing to Threadline', async () => {
    const port = sandbox.port;
    const own = `127.0.0.1:${port}`;
    const rebound = `rebind.attacker.example:${port}`;
    const textPath = '/sandbox/api/whatsapp/text';
    const attacks: Array<{
      what: string;
      status: number;
      method?: string;
      path: string;
      headers: Record<string, string>;
      body?: string;
    }> = [
      {
        what: 'a form on another site, text/plain',
        status: 403,
        method: 'POST',
        path: textPath,
        headers: { host: own, origin: 'https://attacker.example', 'content-type': 'text/plain' },
        body: '{"text":"spend the key (form)"}',
      },
      {
        what: 'a text/plain post without Origin',
        status: 415,
        method: 'POST',
        path: textPath,
        headers: { host: own, 'content-type': 'text/plain' },
        body: '{"text":"spend the key (plain)"}',
      },
      {
        what: 'an urlencoded form without Origin',
        status: 415,
        method: 'POST',
        path: '/sandbox/api/messenger/postback',
        headers: { host: own, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'title=spend&payload=spend',
      },
      {
        what: 'JSON from a foreign Origin',
        status: 403,
        method: 'POST',
        path: textPath,
        headers: { host: own, origin: 'http://attacker.example', 'content-type': 'application/json' },
        body: '{"text":"spend the key (json)"}',
      },
      {
        what: 'Origin: null (a sandboxed frame)',
        status: 403,
        method: 'POST',
        path: textPath,
        headers: { host: own, origin: 'null', 'content-type': 'application/json' },
        body: '{"text":"spend the key (null)"}',
      },
      {
        what: 'a rebound page posting as same-origin',
        status: 403,
        method: 'POST',
        path: textPath,
        headers: { host: rebound, origin: `http://${rebound}`, 'content-type': 'application/json' },
        body: '{"text":"spend the key (rebound)"}',
      },
      { what: 'a rebound page reading the state', status: 403, path: '/sandbox/api/state', headers: { host: rebound } },
      {
        what: 'a rebound page reading the stream',
        status: 403,
        path: '/sandbox/api/events',
        headers: { host: rebound },
      },
      { what: 'a rebound page loading the page', status: 403, path: '/sandbox/', headers: { host: rebound } },
    ];
    for (const attack of attacks) {
      const answer = await request(port, attack);
      expect({ what: attack.what, status: answer.status }).toEqual({ what: attack.what, status: attack.status });
      expect(answer.body).not.toContain('items');
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(userTexts().filter((text) => text?.includes('spend'))).toEqual([]);
  });

  it('lets the page itself (loopback Host, own Origin, JSON) send and read, and proxies product routes for any Host', async () => {
    const port = sandbox.port;
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      expect((await request(port, { path: '/sandbox/api/state', headers: { host } })).status).toBe(200);
    }
    const sent = await request(port, {
      method: 'POST',
      path: '/sandbox/api/whatsapp/text',
      headers: {
        host: `localhost:${port}`,
        origin: `http://localhost:${port}`,
        'content-type': 'application/json; charset=utf-8',
      },
      body: JSON.stringify({ text: 'hello from the page' }),
    });
    expect(sent.status).toBe(202);
    await waitUntil(
      () => sandbox.emulator.log.botItems('whatsapp').find((item) => item.text?.includes('hello from the page')),
      'the answer',
    );
    // A tunnel in front of PORT still reaches the product's own (signed) webhook routes.
    const health = await request(port, { path: '/healthz', headers: { host: 'tunnel.example' } });
    expect(health.status).toBe(200);
  });

  it('accepts SANDBOX_HOST as a Host name of the page', async () => {
    const front = await startFrontServer({
      port: 0,
      host: parseSandboxEnv({ SANDBOX_HOST: '127.0.0.2' }).SANDBOX_HOST,
      emulator: emulator(),
      webUrl: 'http://127.0.0.1:9',
      info: () => ({}),
    });
    try {
      const at = (host: string) =>
        request(front.port, { path: '/sandbox/api/state', headers: { host }, connectTo: '127.0.0.2' });
      expect((await at(`127.0.0.2:${front.port}`)).status).toBe(200);
      expect((await at(`127.0.0.3:${front.port}`)).status).toBe(403);
    } finally {
      await front.stop();
    }
  });
});
