import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request a fake server received, kept for assertions. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** the query string, without the `?` ('' when none) */
  query: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
  rawBody: Buffer;
  at: number;
  /** the status answered (undefined while pending, 0 when the socket was hung up) */
  answeredWith?: number;
  /** the JSON body answered (a Send API call: the id the platform gave the message) */
  answeredBody?: unknown;
}

export interface ScriptedResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** bytes to answer instead of JSON `body` (set a content-type in `headers`) */
  rawBody?: Buffer;
  /** close the socket without answering (a network failure) */
  hangUp?: boolean;
  delayMs?: number;
}

export type Responder = (request: RecordedRequest) => ScriptedResponse | Promise<ScriptedResponse>;

/**
 * A small real HTTP server on loopback that records what it receives and answers through a
 * responder, with one-off scripted answers queued in front (for failure injection).
 */
export class FakeHttpServer {
  readonly requests: RecordedRequest[] = [];
  private readonly scripted: Array<{ match: (r: RecordedRequest) => boolean; response: ScriptedResponse }> = [];
  private server: http.Server | undefined;
  /** scripted delays still running: stop() ends them, so no timer outlives the test */
  private readonly delays = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  url = '';

  constructor(private readonly responder: Responder) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    for (const delay of this.delays) {
      clearTimeout(delay.timer);
      delay.resolve();
    }
    this.delays.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** Answer the next `times` matching requests with `response` instead of the responder. */
  script(response: ScriptedResponse, times = 1, match: (r: RecordedRequest) => boolean = () => true): void {
    for (let i = 0; i < times; i += 1) this.scripted.push({ match, response });
  }

  /** Resolves when `predicate` holds over the recorded requests, or rejects after `timeoutMs`. */
  async waitFor(predicate: (requests: RecordedRequest[]) => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.requests)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting; ${this.requests.length} requests recorded`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const delay = {
        timer: setTimeout(() => {
          this.delays.delete(delay);
          resolve();
        }, ms),
        resolve,
      };
      this.delays.add(delay);
    });
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks);
    let body: unknown = undefined;
    const type = req.headers['content-type'] ?? '';
    if (type.includes('json') && rawBody.length > 0) {
      try {
        body = JSON.parse(rawBody.toString('utf8'));
      } catch {
        body = undefined;
      }
    }
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0]!,
      query: (req.url ?? '').split('?')[1] ?? '',
      headers: req.headers,
      body,
      rawBody,
      at: Date.now(),
    };
    this.requests.push(recorded);
    const index = this.scripted.findIndex((s) => s.match(recorded));
    const response = index >= 0 ? this.scripted.splice(index, 1)[0]!.response : await this.responder(recorded);
    if (response.delayMs) await this.delay(response.delayMs);
    if (response.hangUp) {
      recorded.answeredWith = 0;
      req.socket.destroy();
      return;
    }
    recorded.answeredWith = response.status;
    recorded.answeredBody = response.body;
    const payload = response.rawBody ?? (response.body === undefined ? '' : JSON.stringify(response.body));
    res.writeHead(response.status, { 'content-type': 'application/json', ...response.headers });
    res.end(payload);
  }
}
