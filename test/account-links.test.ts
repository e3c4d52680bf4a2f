import { Redis } from 'ioredis';
import { AccountLinks, WRONG_TRIES_PER_HOUR } from '../src/people/account-links';
import type { LinkedConversation } from '../src/people/person-directory';
import { deleteKeysWithPrefix, REDIS_URL } from './helpers/system';

/** Joining accounts into one person and taking them apart again, against real Redis. */
describe('AccountLinks', () => {
  const prefix = `t-links-${process.pid}`;
  const redis = new Redis(REDIS_URL);
  const links = new AccountLinks(redis, prefix);
  const wa: LinkedConversation = { platform: 'whatsapp', channelId: 'pn1', userId: '15550001' };
  const fb: LinkedConversation = { platform: 'messenger', channelId: 'page1', userId: '9001' };
  const ig: LinkedConversation = { platform: 'instagram', channelId: 'ig1', userId: '8001' };

  afterEach(async () => deleteKeysWithPrefix(redis, prefix));
  afterAll(async () => redis.quit());

  async function join(anchor: LinkedConversation, joiner: LinkedConversation) {
    const code = await links.createCode(anchor, await links.personOf(anchor));
    return links.redeem(code, joiner, await links.personOf(joiner));
  }

  it('keys a group by the account that gave the first code; a third joins the same person', async () => {
    expect((await join(wa, fb)).kind).toBe('linked');
    const third = await join(fb, ig);
    // Everyone already in the group is told once, the code's own account first.
    expect(third).toEqual({ kind: 'linked', others: [fb, wa] });
    for (const account of [wa, fb, ig]) expect(await links.personOf(account)).toBe('whatsapp:15550001');
    expect((await links.accountsOf('whatsapp:15550001')).length).toBe(3);
  });

  it('lets one of three leave without breaking the others; the anchor leaving dissolves the group', async () => {
    await join(wa, fb);
    await join(wa, ig);
    expect(await links.unlink(ig)).toEqual({ kind: 'unlinked', others: expect.arrayContaining([wa, fb]) as unknown });
    expect(await links.personOf(ig)).toBe('instagram:8001');
    expect(await links.personOf(fb)).toBe('whatsapp:15550001');
    await join(wa, ig);
    await links.unlink(wa);
    for (const account of [wa, fb, ig])
      expect(await links.personOf(account)).toBe(`${account.platform}:${account.userId}`);
    expect(await links.unlink(fb)).toEqual({ kind: 'not-linked' });
  });

  it('makes a newer code replace the older one, and forgets open codes with the account', async () => {
    const first = await links.createCode(wa, 'whatsapp:15550001');
    const second = await links.createCode(wa, 'whatsapp:15550001');
    if (first !== second) expect((await links.redeem(first, fb, 'messenger:9001')).kind).toBe('wrong');
    await links.forgetCodes([wa]);
    expect((await links.redeem(second, fb, 'messenger:9001')).kind).toBe('wrong');
    expect(WRONG_TRIES_PER_HOUR).toBe(5);
  });
});
