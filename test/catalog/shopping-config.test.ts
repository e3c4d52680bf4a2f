import { ConfigError, loadConfig } from '../../config';
import { catalogSourceFromConfig } from '../../src/catalog/live-catalog-setup';

/** The shopping variables: defaults, which catalog source wins, and bad values named. */
const required = { META_APP_SECRET: 's', META_VERIFY_TOKEN: 'v' };

describe('shopping configuration', () => {
  it('has no catalog by default, a shopping limit and no checkout URL', () => {
    const config = loadConfig(required);
    expect(config.catalog).toBeNull();
    expect(config.limits.shopping).toEqual({ count: 30, windowSeconds: 3600 });
    expect(config.orders.checkoutUrl).toBeUndefined();
    expect(catalogSourceFromConfig(config)).toBeUndefined();
  });

  it('reads a feed, or a Meta catalog that wins over it, with its refresh period', () => {
    const feedOnly = loadConfig({
      ...required,
      CATALOG_FEED: 'sandbox/catalog/demo-feed.csv',
      CATALOG_REFRESH_MINUTES: '5',
    });
    expect(feedOnly.catalog).toMatchObject({ feed: 'sandbox/catalog/demo-feed.csv', refreshIntervalMs: 300_000 });
    expect(catalogSourceFromConfig(feedOnly)).toMatchObject({ kind: 'feed', catalogId: undefined });

    const both = loadConfig({
      ...required,
      CATALOG_FEED: 'https://shop.example/feed.csv',
      META_CATALOG_ID: '123456789',
      WHATSAPP_ACCESS_TOKEN: 'wa',
      LIMIT_SHOPPING: '10/1d',
      ORDER_CHECKOUT_URL: 'https://shop.example/checkout/',
    });
    expect(both.catalog).toMatchObject({ metaCatalogId: '123456789', graphAccessToken: 'wa' });
    expect(catalogSourceFromConfig(both)).toMatchObject({ kind: 'graph', catalogId: '123456789' });
    expect(both.limits.shopping).toEqual({ count: 10, windowSeconds: 86_400 });
    expect(both.orders.checkoutUrl).toBe('https://shop.example/checkout');
  });

  it('names a malformed catalog id, refresh period or shopping limit', () => {
    let error: unknown;
    try {
      loadConfig({ ...required, META_CATALOG_ID: 'shop', CATALOG_REFRESH_MINUTES: '0', LIMIT_SHOPPING: 'lots' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    for (const name of ['META_CATALOG_ID', 'CATALOG_REFRESH_MINUTES', 'LIMIT_SHOPPING']) {
      expect((error as Error).message).toContain(name);
    }
  });
});
