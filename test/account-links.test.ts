import { Redis } from 'ioredis';
import { createCounterNames } from '../src/crypto/counter-names';
import { AccountLinks, normaliseCode, WRONG_TRIES_PER_HOUR } from '../src/people/account-links';
import type { LinkedConversation } from '../src/people/person-directory';
import { deleteKeysWithPrefix, REDIS_URL } from './helpers/system';

/** Joining accounts into one person and taking them apart again, against real Redis. */
describe('AccountLinks', () => {
  const prefix = `t-links-${process.pid}`;
  const redis = new Redis(REDIS_URL);
  const settings = { counterName: createCounterNames(Buffer.from('test counters')), wrongCodesPerHour: 1000 };
  const links = new AccountLinks(redis, prefix, settings);
  const wa: LinkedConversation = { platform: 'whatsapp', channelId: 'pn1', userId: '15550001' };
  const fb: LinkedConversation = { platform: 'messenger', channelId: 'page1', userId: '9001' };
  const ig: LinkedConversation = { platform: 'instagram', channelId: 'ig1', userId: '8001' };

  afterEach(async () => deleteKeysWithPrefix(redis, prefix));
  afterAll(async () => redis.quit());

  async function join(anchor: LinkedConversation, joiner: LinkedConversation, through = links) {
    const code = await through.createCode(anchor, await through.personOf(anchor));
    return through.redeem(code, joiner, await through.personOf(joiner));
  }

  it('keys a group by the account that gave the first code; a third joins the same person', async () => {
    expect((await join(wa, fb)).kind).toBe('linked');
    const third = await join(fb, ig);
    // Everyone already in the group is told once, the code's own account first.
    expect(third).toEqual({ kind: 'linked', others: [fb, wa] });
    for (const account of [wa, fb, ig]) expect(await links.personOf(account)).toBe('whatsapp:15550001');
    expect((await links.accountsOf('whatsapp:15550001')).length).toBe(3);
  });

  it('takes the whole group apart on /unlink from any of its accounts, so a join is undone from every app', async () => {
    await join(wa, fb);
    await join(wa, ig);
    // Messenger is not the anchor: taking out only Messenger would leave Instagram with WhatsApp.
    expect(await links.unlink(fb)).toEqual({ kind: 'unlinked', others: expect.arrayContaining([wa, ig]) as unknown });
    for (const account of [wa, fb, ig])
      expect(await links.personOf(account)).toBe(`${account.platform}:${account.userId}`);
    for (const account of [wa, fb, ig]) expect(await links.unlink(account)).toEqual({ kind: 'not-linked' });
  });

  it('makes a newer code replace the older one, and forgets open codes with the account', async () => {
    const first = await links.createCode(wa, 'whatsapp:15550001');
    const second = await links.createCode(wa, 'whatsapp:15550001');
    if (first !== second) expect((await links.redeem(first, fb, 'messenger:9001')).kind).toBe('wrong');
    await links.forgetCodes([wa]);
    expect((await links.redeem(second, fb, 'messenger:9001')).kind).toBe('wrong');
    expect(WRONG_TRIES_PER_HOUR).toBe(5);
  });

  it('gives 12-character codes (60 bits) that are read back in any case, with spaces, dashes or O for 0', async () => {
    const code = await links.createCode(wa, 'whatsapp:15550001');
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(normaliseCode(` ${code.toLowerCase().replace(/-/g, ' ').replace(/0/g, 'o')} `)).toBe(code.replace(/-/g, ''));
    expect(normaliseCode('123456')).toBeNull();
    expect((await links.redeem(code.toLowerCase(), fb, 'messenger:9001')).kind).toBe('linked');
  });

  it('refuses every code once the deployment had its wrong codes for the hour, whoever tries', async () => {
    const capped = new AccountLinks(redis, prefix, { ...settings, wrongCodesPerHour: 3 });
    const code = await capped.createCode(wa, 'whatsapp:15550001');
    // Three different people, one wrong guess each: no one of them is near their own 5.
    for (const guesser of ['9101', '9102', '9103']) {
      const from = { ...fb, userId: guesser };
      expect((await capped.redeem('AAAA-AAAA-AAAA', from, `messenger:${guesser}`)).kind).toBe('wrong');
    }
    expect((await capped.redeem(code, ig, 'instagram:8001')).kind).toBe('too-many-tries');
    // The right code was not even looked at: it still works once the hour is over.
    await redis.del(`${prefix}:state:link:{links}:wrong-codes`);
    expect((await capped.redeem(code, ig, 'instagram:8001')).kind).toBe('linked');
  });
});
