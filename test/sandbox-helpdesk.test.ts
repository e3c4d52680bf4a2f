import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AGENT_API_PATH, HELPDESK_INBOX_PATH, SandboxHelpdesk } from '../sandbox/helpdesk';

/**
 * The sandbox's helpdesk takes the plain webhook's events as a real helpdesk would: signed, and a
 * conversation the assistant took back without the desk asking (`handoff.returned`) stops waiting
 * for a person, or is dropped when the person had everything forgotten.
 */
describe("the sandbox helpdesk's inbox", () => {
  const desk = new SandboxHelpdesk();
  let server: http.Server;
  let base = '';

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://desk');
      if (url.pathname === HELPDESK_INBOX_PATH) return void desk.receive(req, res);
      return void desk.api(req, res, url);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const post = (event: Record<string, unknown>) => {
    const body = JSON.stringify(event);
    const signature = `sha256=${createHmac('sha256', desk.secret).update(body).digest('hex')}`;
    return fetch(`${base}${HELPDESK_INBOX_PATH}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-threadline-signature': signature },
      body,
    });
  };
  const waiting = async () => {
    const listed = (await (await fetch(`${base}${AGENT_API_PATH}conversations`)).json()) as {
      conversations: Array<{ conversation: string; resolved: boolean }>;
    };
    return listed.conversations.map((c) => [c.conversation, c.resolved]);
  };
  const requested = (conversation: string) =>
    post({ event: 'handoff.requested', conversation, platform: 'whatsapp', reason: 'asked', transcript: [] });

  it('stops waiting for a person on handoff.returned, and forgets a forgotten conversation', async () => {
    expect((await requested('c_idle')).status).toBe(200);
    expect((await requested('c_gone')).status).toBe(200);
    const at = new Date().toISOString();
    expect((await post({ event: 'handoff.returned', conversation: 'c_idle', why: 'idle', at })).status).toBe(200);
    expect((await post({ event: 'handoff.returned', conversation: 'c_gone', why: 'forgotten', at })).status).toBe(200);
    expect(await waiting()).toEqual([['c_idle', true]]);
  });
});
