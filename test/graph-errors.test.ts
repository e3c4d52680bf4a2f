import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGraphClient, GraphApiError, GraphNetworkError } from '../src/platforms/graph-client';
import type { Platform } from '../src/core/inbound';
import { classifyPageSendFailure } from '../src/platforms/pages/page-send-failure';
import { classifyWhatsAppSendFailure } from '../src/platforms/whatsapp/send-failure';
import { graphBackoff, SendRetryError } from '../src/outbound';

/** The classification table against src/platforms/NOTES.md ("Error codes"). */
const graphError = (code: number | undefined, httpStatus = 400, retryAfterSeconds?: number) =>
  new GraphApiError(httpStatus, code, undefined, `(#${code})`, retryAfterSeconds, 'trace');

/** Each adapter classifies its own failures; without a platform, the codes every platform shares. */
const classifySendFailure = (error: unknown, platform?: Platform) =>
  platform === 'whatsapp' ? classifyWhatsAppSendFailure(error) : classifyPageSendFailure(error);

describe('classifySendFailure', () => {
  it.each([1, 2, 4, 613, 1200, 80007, 130429, 131000, 131016, 131057])('retries code %i with backoff', (code) => {
    expect(classifySendFailure(graphError(code), 'whatsapp').kind).toBe('retry');
    expect(classifySendFailure(graphError(code), 'messenger').kind).toBe('retry');
  });

  it('retries HTTP 5xx and network failures', () => {
    expect(classifySendFailure(graphError(undefined, 500)).kind).toBe('retry');
    expect(classifySendFailure(graphError(undefined, 503)).kind).toBe('retry');
    expect(classifySendFailure(new GraphNetworkError('ECONNRESET')).kind).toBe('retry');
  });

  it('slows down only the recipient on the pair limit 131056', () => {
    expect(classifySendFailure(graphError(131056), 'whatsapp')).toEqual({
      kind: 'retry-recipient',
      retryAfterSeconds: undefined,
    });
  });

  it('treats 131047 and Messenger/Instagram code 10 as the closed 24-hour window', () => {
    expect(classifySendFailure(graphError(131047), 'whatsapp').kind).toBe('window-closed');
    expect(classifySendFailure(graphError(10), 'messenger').kind).toBe('window-closed');
    expect(classifySendFailure(graphError(10), 'instagram').kind).toBe('window-closed');
    expect(classifySendFailure(graphError(1545041), 'messenger').kind).toBe('window-closed');
  });

  it('does not read WhatsApp code 10 as a window: it is a permission error, never retried', () => {
    expect(classifySendFailure(graphError(10, 403), 'whatsapp').kind).toBe('never');
  });

  it.each([100, 131026, 131051, 130403, 131050, 368, 131031, 551])(
    'never retries code %i, even with a 5xx status',
    (code) => {
      expect(classifySendFailure(graphError(code, 400), 'whatsapp').kind).toBe('never');
      expect(classifySendFailure(graphError(code, 500), 'whatsapp').kind).toBe('never');
    },
  );

  it('flags 190 (and 0) as an auth failure an operator must fix', () => {
    expect(classifySendFailure(graphError(190, 401), 'whatsapp').kind).toBe('auth');
    expect(classifySendFailure(graphError(0, 401), 'messenger').kind).toBe('auth');
  });

  it('carries Retry-After to the backoff, which honours it', () => {
    const failure = classifySendFailure(graphError(130429, 429, 7), 'whatsapp');
    expect(failure).toEqual({ kind: 'retry', retryAfterSeconds: 7 });
    expect(graphBackoff(1, 'graph', new SendRetryError(failure, { cause: null }))).toBe(7000);
  });

  it('backs off about 6 s per attempt on the pair limit, and exponentially (capped) otherwise', () => {
    const pair = new SendRetryError({ kind: 'retry-recipient' }, { cause: null });
    expect(graphBackoff(1, 'graph', pair)).toBe(6000);
    expect(graphBackoff(3, 'graph', pair)).toBe(18000);
    const transient = new SendRetryError({ kind: 'retry' }, { cause: null });
    expect(graphBackoff(1, 'graph', transient)).toBeGreaterThanOrEqual(500);
    expect(graphBackoff(20, 'graph', transient)).toBeLessThanOrEqual(72_000);
  });
});

describe('a Graph that does not answer', () => {
  it('fails the call after the timeout as a network error, which the sender retries', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const graph = createGraphClient({
      baseUrl: `http://127.0.0.1:${port}`,
      version: 'v25.0',
      accessToken: 't',
      timeoutMs: 300,
    });
    const started = Date.now();
    const failure = await graph.post('/1/messages', { text: 'hi' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(GraphNetworkError);
    expect(classifySendFailure(failure).kind).toBe('retry');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(5000);
    silent.closeAllConnections();
    silent.close();
  });
});
