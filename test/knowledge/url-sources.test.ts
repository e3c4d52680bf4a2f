import { gzipSync } from 'node:zlib';
import { readKnowledge } from '../../src/knowledge/read-sources';
import type { ReadLimits } from '../../src/knowledge/read-limits';
import { FakeHttpServer, type RecordedRequest } from '../helpers/http-fake';
import { makePdf } from '../helpers/knowledge-files';
import { firstOf } from '../helpers/present';

/**
 * Pages and sitemaps fetched by the catalog feed's rules: https, plain http only on loopback (how
 * these tests reach their stand-in site), never a redirect to a private address, a size cap;
 * a sitemap followed only within its own host and up to the page cap.
 */

const LIMITS: ReadLimits = {
  maxBytes: 256 * 1024,
  maxPages: 3,
  downloadTimeoutMs: 5000,
  child: { timeoutMs: 20_000, maxMemoryMb: 256 },
};

const page = (title: string, body: string) =>
  `<!doctype html><html><head><title>${title} | Shop</title></head><body><nav>Menu</nav><main><h1 id="top">${title}</h1>${body}</main></body></html>`;

describe('knowledge from the web', () => {
  let site: FakeHttpServer;
  let other: FakeHttpServer;
  let pages: Record<string, { body: string | Buffer; type?: string; status?: number; location?: string }>;

  beforeEach(async () => {
    other = await new FakeHttpServer(() => ({
      status: 200,
      rawBody: Buffer.from(page('Elsewhere', '<p>x</p>')),
    })).start();
    pages = {};
    site = await new FakeHttpServer((request: RecordedRequest) => {
      const found = pages[request.path];
      if (!found) return { status: 404, rawBody: Buffer.from('not found') };
      const headers: Record<string, string> = { 'content-type': found.type ?? 'text/html' };
      if (found.location) headers.location = found.location;
      return { status: found.status ?? 200, rawBody: Buffer.from(found.body), headers };
    }).start();
  });
  afterEach(async () => {
    await site.stop();
    await other.stop();
  });

  it('follows a sitemap (and a nested one) within its host, up to the page cap, and says what it left out', async () => {
    const url = (p: string) => `${site.url}${p}`;
    pages['/sitemap.xml'] = {
      body: `<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        <sitemap><loc>${url('/pages.xml.gz')}</loc></sitemap>
        <sitemap><loc>${other.url}/evil.xml</loc></sitemap></sitemapindex>`,
      type: 'application/xml',
    };
    pages['/pages.xml.gz'] = {
      body: gzipSync(`<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
        <url><loc>${url('/help/shipping?x=1&amp;y=2')}</loc></url>
        <url><loc>${url('/help/warranty.pdf')}</loc></url>
        <url><loc>${other.url}/help/elsewhere</loc></url>
        <url><loc>${url('/help/missing')}</loc></url>
        <url><loc>${url('/help/hours')}</loc></url></urlset>`),
      type: 'application/gzip',
    };
    pages['/help/shipping'] = { body: page('Shipping', '<h2 id="canada">Canada</h2><p>Seven working days.</p>') };
    pages['/help/warranty.pdf'] = { body: makePdf(['Two years against defects.']), type: 'application/pdf' };
    pages['/help/hours'] = { body: page('Hours', '<p>Sunday 11 to 5.</p>') };

    const read = await readKnowledge([url('/sitemap.xml')], LIMITS);

    expect(read.passages.map((p) => [p.titlePath.join(' › '), p.url, p.text])).toEqual([
      ['Shipping › Canada', `${url('/help/shipping?x=1&y=2')}#canada`, 'Seven working days.'],
      ['warranty › page 1', `${url('/help/warranty.pdf')}#page=1`, 'Two years against defects.'],
    ]);
    expect(read.skipped).toEqual(
      expect.arrayContaining([
        { source: `${other.url}/evil.xml`, reason: "outside the sitemap's host" },
        { source: `${other.url}/help/elsewhere`, reason: "outside the sitemap's host" },
        { source: url('/sitemap.xml'), reason: '1 more pages past KNOWLEDGE_MAX_PAGES (3)' },
        { source: url('/help/missing'), reason: expect.stringMatching(/404/) as string },
      ]),
    );
    expect(other.requests).toHaveLength(0);
    expect(site.requests.map((r) => r.path)).not.toContain('/help/hours');
  });

  it('refuses plain http off loopback, a redirect off https or to a private address, and a page over the size cap', async () => {
    const refusals = await readKnowledge(['http://shop.example/sitemap.xml'], LIMITS);
    expect(firstOf(refusals.sources).failed).toBe('a document URL must be https (plain http only on loopback)');

    pages['/sitemap.xml'] = {
      body: `<urlset><url><loc>${site.url}/to-http</loc></url><url><loc>${site.url}/to-private</loc></url><url><loc>${site.url}/big</loc></url><url><loc>${site.url}/to-loopback</loc></url></urlset>`,
    };
    pages['/to-http'] = { status: 302, body: '', location: 'http://shop.example/page' };
    pages['/to-private'] = { status: 302, body: '', location: 'https://10.0.0.8/admin' };
    pages['/to-loopback'] = { status: 302, body: '', location: `${other.url}/internal` };
    pages['/big'] = { body: page('Big', `<p>${'word '.repeat(100_000)}</p>`) };
    const read = await readKnowledge([`${site.url}/sitemap.xml`], { ...LIMITS, maxPages: 10 });
    expect(read.passages).toEqual([]);
    expect(Object.fromEntries(read.skipped.map((s) => [s.source.replace(site.url, ''), s.reason]))).toEqual({
      '/to-http': 'redirect to http://shop.example refused: not https',
      '/to-private': 'redirect to https://10.0.0.8 refused: a non-public address',
      '/big': 'the document is larger than 262144 bytes (KNOWLEDGE_MAX_BYTES)',
      '/to-loopback': `redirect to ${other.url} refused: not https`,
    });
    expect(other.requests).toHaveLength(0);
  });
});
