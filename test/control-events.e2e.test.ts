import { readFileSync } from 'node:fs';
import path from 'node:path';
import { say } from './helpers/say';
import { startSystem, type TestSystem } from './helpers/system';

/**
 * Control events through the whole product: a handover, a person's message on standby and a
 * business's reply echoed from the WhatsApp Business app are enqueued in the conversation's order
 * and settled without a word to the person (no reply, no read receipt, no typing), and the
 * conversation's next message is not held behind them.
 */
const fixtures = (file: string) =>
  JSON.parse(readFileSync(path.join(__dirname, 'fixtures', 'handover', file), 'utf8')) as Record<string, unknown>;

describe('control events end to end', () => {
  let system: TestSystem;
  beforeAll(async () => {
    system = await startSystem();
  });
  afterAll(async () => system.stop());

  const callsTo = (user: string) =>
    system.graph.requests.filter((r) => {
      const body = r.body as { to?: string; recipient?: { id?: string } } | undefined;
      return body?.to === user || body?.recipient?.id === user;
    });

  it('answers nothing to handover, standby and echo events, and answers the next message', async () => {
    const messenger = fixtures('messenger.json');
    const whatsapp = fixtures('whatsapp.json');
    for (const name of [
      'take_thread_control',
      'standby_message',
      'standby_echo',
      'pass_thread_control',
      'inbox_echo',
    ]) {
      expect((await system.deliver('messenger', messenger[name])).status).toBe(200);
    }
    expect((await system.deliver('whatsapp', whatsapp.smb_message_echo_text)).status).toBe(200);
    expect((await system.deliver('whatsapp', whatsapp.control_taken)).status).toBe(200);

    // The next message of each conversation is answered: the events ahead of it left the inbox.
    expect(await say(system, 'messenger', '6000000000000001', 'hello again')).toBeTruthy();
    expect(await say(system, 'whatsapp', '34600111222', 'hola')).toBeTruthy();

    // As many Graph calls as a person who only wrote that message gets: the events cost none.
    expect(await say(system, 'messenger', '6000000000000009', 'hello again')).toBeTruthy();
    expect(await say(system, 'whatsapp', '34600111999', 'hola')).toBeTruthy();
    expect(callsTo('6000000000000001').length).toBe(callsTo('6000000000000009').length);
    expect(callsTo('34600111222').length).toBe(callsTo('34600111999').length);
  });
});
