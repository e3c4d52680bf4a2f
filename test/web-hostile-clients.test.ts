import net from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { loadConfig } from '../config';
import { signBody } from '../src/platforms/signature';
import { startWeb, type RunningWeb } from '../webhooks/web';
import { whatsAppText } from './helpers/payloads';
import { TEST_VERIFY_TOKEN, testEnv } from './helpers/system';
import { defined } from './helpers/present';

/**
 * `web` facing clients that are slow, unsigned or many: nothing is buffered for a request that
 * cannot be genuine, slow requests are cut after seconds, connections are capped, and refusals
 * anyone can provoke do not flood the log.
 */

interface RawAnswer {
  /** the first bytes the server sent, '' if none */
  head: string;
  /** ms from connecting until the server answered or closed */
  afterMs: number;
  closed: boolean;
}

/** Opens a TCP connection, writes `request` and waits (at most `waitMs`) for an answer or a close. */
function rawRequest(port: number, request: string, waitMs: number): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    let head = '';
    let answeredAt: number | undefined;
    const done = (closed: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ head, afterMs: (answeredAt ?? Date.now()) - started, closed });
    };
    socket.on('data', (chunk: Buffer) => {
      answeredAt ??= Date.now();
      head += chunk.toString('latin1');
    });
    socket.on('error', () => undefined);
    socket.on('close', () => done(true));
    const timer = setTimeout(() => done(false), waitMs);
  });
}

function postHead(platform: string, contentLength: number, signature?: string): string {
  return (
    `POST /webhooks/${platform} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${contentLength}\r\n` +
    (signature === undefined ? '' : `X-Hub-Signature-256: ${signature}\r\n`) +
    '\r\n'
  );
}

/** A logger whose lines are kept, to count what a flood writes. */
function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n'))
        if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { logger: pino({ level: 'warn' }, sink), lines };
}

async function startTestWeb(env: Record<string, string>, logger = pino({ level: 'silent' })): Promise<RunningWeb> {
  return startWeb(loadConfig(testEnv(env)), logger, 0);
}

describe('web under hostile clients', () => {
  let web: RunningWeb;
  const captured = capturingLogger();
  beforeAll(async () => {
    web = await startTestWeb(
      { WEB_REQUEST_TIMEOUT_MS: '1000', WEB_HEADERS_TIMEOUT_MS: '1000', WEB_REFUSAL_LOG_INTERVAL_MS: '60000' },
      captured.logger,
    );
  });
  afterAll(async () => web.close());

  it('answers 401 at once to headers without a signature whose body never comes', async () => {
    const answer = await rawRequest(web.port, postHead('whatsapp', 1_000_000), 5000);
    expect(answer.head).toMatch(/^HTTP\/1\.1 401/);
    expect(answer.afterMs).toBeLessThan(500);
  });

  it('answers 401 at once to a malformed signature whose body never comes', async () => {
    const answer = await rawRequest(web.port, postHead('messenger', 1_000_000, 'sha256=not-hex'), 5000);
    expect(answer.head).toMatch(/^HTTP\/1\.1 401/);
    expect(answer.afterMs).toBeLessThan(500);
  });

  it('cuts a stalled signed upload after the request timeout and closes the connection', async () => {
    const stalled = postHead('whatsapp', 1000, signBody('whatever', 'any')) + '{"object":';
    const answer = await rawRequest(web.port, stalled, 6000);
    expect(answer.head).toMatch(/^HTTP\/1\.1 408/);
    expect(answer.afterMs).toBeGreaterThanOrEqual(900);
    expect(answer.afterMs).toBeLessThan(3000);
    expect(answer.closed).toBe(true);
  });

  it('cuts a client that never finishes its headers after the headers timeout', async () => {
    const answer = await rawRequest(web.port, 'POST /webhooks/whatsapp HTTP/1.1\r\nHost: localhost\r\n', 6000);
    expect(answer.closed).toBe(true);
    expect(answer.afterMs).toBeLessThan(3000);
  });

  it('keeps an idle kept-alive connection (as Meta holds one) open past the headers timeout', async () => {
    const socket = net.connect(web.port, '127.0.0.1');
    const answers: string[] = [];
    socket.on('data', (chunk: Buffer) => answers.push(chunk.toString('latin1')));
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    socket.write('GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 300));
    socket.destroy();
    expect(answers.join('').match(/HTTP\/1\.1 200/g)).toHaveLength(2);
  });

  it('writes a bounded number of log lines for 1,000 bad-signature requests', async () => {
    const body = JSON.stringify(whatsAppText('1555', 'forged'));
    const send = (i: number) =>
      fetch(`http://127.0.0.1:${web.port}/webhooks/whatsapp`, {
        method: 'POST',
        headers: { 'x-hub-signature-256': i % 2 ? signBody(body, 'wrong-secret') : 'nonsense' },
        body,
      }).then((res) => res.status);
    const statuses: number[] = [];
    for (let batch = 0; batch < 20; batch += 1) {
      statuses.push(...(await Promise.all(Array.from({ length: 50 }, (_, i) => send(batch * 50 + i)))));
    }
    expect(statuses.every((s) => s === 401)).toBe(true);
    // One line for the first refusal of this server (an earlier test's); the rest of the window's
    // refusals, these 1,000 included, are only counted, to be reported when the window closes.
    const lines = captured.lines.filter((l) => String(l.msg).includes('signature'));
    expect(lines.length).toBeLessThanOrEqual(2);
    expect(lines.length).toBeGreaterThanOrEqual(1);
  });

  it('sends X-Content-Type-Options: nosniff with the verification challenge', async () => {
    const res = await fetch(
      `http://127.0.0.1:${web.port}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${TEST_VERIFY_TOKEN}&hub.challenge=%3Cb%3Ehi`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  });

  it('refuses a verify token that differs only in length or in its last character', async () => {
    for (const token of [
      `${TEST_VERIFY_TOKEN}x`,
      TEST_VERIFY_TOKEN.slice(0, -1),
      `${TEST_VERIFY_TOKEN.slice(0, -1)}X`,
    ]) {
      const res = await fetch(
        `http://127.0.0.1:${web.port}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${token}&hub.challenge=1`,
      );
      expect(res.status).toBe(403);
    }
  });
});

describe('throttled refusal log', () => {
  it('reports how many refusals it left out once the window closes', async () => {
    const captured = capturingLogger();
    const web = await startTestWeb({ WEB_REFUSAL_LOG_INTERVAL_MS: '300' }, captured.logger);
    try {
      for (let i = 0; i < 30; i += 1) {
        await fetch(`http://127.0.0.1:${web.port}/webhooks/whatsapp`, { method: 'POST', body: '{}' });
      }
      await new Promise((resolve) => setTimeout(resolve, 700));
      const lines = captured.lines.filter((l) => String(l.msg).includes('signature'));
      expect(lines[0]).toMatchObject({ reason: 'missing' });
      expect(lines.slice(1).reduce((sum, l) => sum + Number(l.suppressed ?? 0), 0)).toBe(29);
      expect(lines.length).toBeLessThanOrEqual(3);
    } finally {
      await web.close();
    }
  });
});

describe('connection cap', () => {
  it('closes connections above WEB_MAX_CONNECTIONS and serves again once one is free', async () => {
    const web = await startTestWeb({ WEB_MAX_CONNECTIONS: '3' });
    const open: net.Socket[] = [];
    try {
      for (let i = 0; i < 3; i += 1) {
        const socket = net.connect(web.port, '127.0.0.1');
        socket.on('error', () => undefined);
        await new Promise((resolve) => socket.once('connect', resolve));
        open.push(socket);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
      const refused = await rawRequest(web.port, 'GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n', 2000);
      expect(refused.closed).toBe(true);
      expect(refused.head).toBe('');
      defined(open.pop()).destroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const served = await rawRequest(
        web.port,
        'GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
        2000,
      );
      expect(served.head).toMatch(/^HTTP\/1\.1 200/);
    } finally {
      for (const socket of open) socket.destroy();
      await web.close();
    }
  });
});
