import { pageText, whatsAppText } from './helpers/payloads';
import { replies } from './helpers/replies';
import { startSystem, type TestSystem } from './helpers/system';
import { defined } from './helpers/present';

/** `/privacy` on each app: what is kept, for how long, and the commands that show or erase it. */
describe('/privacy', () => {
  let system: TestSystem;
  afterEach(async () => system?.stop());

  it('tells, on all three apps, what is kept with its real lifetimes and the commands, without the model', async () => {
    system = await startSystem({ env: { HISTORY_TTL_DAYS: '14', BUSINESS_NAME: 'Acme Shoes' } });
    await system.deliver('whatsapp', whatsAppText('16505550411', '/privacy'));
    await system.deliver('messenger', pageText('page', '7384920156300077', '/privacy'));
    await system.deliver('instagram', pageText('instagram', '1784140211230088', '/Privacy'));
    await system.graph.waitFor(() => replies(system.graph).length >= 3);
    for (const reply of replies(system.graph)) {
      expect(reply.text).toContain('for Acme Shoes');
      expect(reply.text).toContain('14 days after your last message');
      for (const command of ['/reset', '/memory', '/unlink', '/forget all', '/export']) {
        expect(reply.text).toContain(command);
      }
    }
    expect(defined(replies(system.graph).find((r) => r.to === '1784140211230088')).text.length).toBeLessThan(1000);
    expect(system.model.chatRequests()).toHaveLength(0);
  });
});
