import path from 'node:path';
import { loadFeed } from '../src/catalog/feed-source';
import { sandboxIds } from '../sandbox/emulator/ids';
import { startTestSandbox } from './sandbox/start-test-sandbox';
import { defined, firstOf } from './helpers/present';

/**
 * Which catalog the sandbox gives Threadline: the demo shop as a feed whose pictures are served
 * on the sandbox's own host (the default), the demo shop as a Commerce Manager catalog read
 * through the emulator's Graph edge, or the operator's own catalog, passed on untouched.
 */
jest.setTimeout(60_000);

describe('sandbox catalog choice', () => {
  test('by default CATALOG_FEED is the demo shop, with image links on the page server, which serves them', async () => {
    const sandbox = await startTestSandbox();
    try {
      expect(sandbox.productEnv.META_CATALOG_ID).toBeUndefined();
      const { products } = await loadFeed(defined(sandbox.productEnv.CATALOG_FEED));
      expect(products).toHaveLength(200);
      const images = `http://127.0.0.1:${sandbox.port}/sandbox/catalog/images/`;
      expect(products.every((p) => p.imageLink.startsWith(images))).toBe(true);
      const picture = await fetch(firstOf(products).imageLink);
      expect(picture.status).toBe(200);
      expect(picture.headers.get('content-type')).toBe('image/svg+xml');
      expect((await fetch(`${images}..%2F..%2Fpackage.json`)).status).toBe(404);
      expect((await fetch(`${images}nope.svg`)).status).toBe(404);
    } finally {
      await sandbox.cleanup();
    }
  });

  test('SANDBOX_CATALOG=commerce-manager: META_CATALOG_ID is the emulator’s catalog, and no feed', async () => {
    const sandbox = await startTestSandbox({ SANDBOX_CATALOG: 'commerce-manager' });
    try {
      expect(sandbox.productEnv.META_CATALOG_ID).toBe(sandboxIds.whatsapp.catalogId);
      expect(sandbox.productEnv.CATALOG_FEED).toBeUndefined();
    } finally {
      await sandbox.cleanup();
    }
  });

  test('a CATALOG_FEED of the operator’s own is passed on unchanged', async () => {
    const own = path.join(__dirname, '../sandbox/catalog/demo-feed.csv');
    const sandbox = await startTestSandbox({ CATALOG_FEED: own }, { CATALOG_FEED: own });
    try {
      expect(sandbox.productEnv.CATALOG_FEED).toBe(own);
      expect(sandbox.productEnv.META_CATALOG_ID).toBeUndefined();
    } finally {
      await sandbox.cleanup();
    }
  });
});
