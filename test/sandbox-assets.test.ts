import { MetaEmulator } from '../sandbox/emulator/meta-emulator';
import { startFrontServer, type FrontServer } from '../sandbox/front-server';

/**
 * The sandbox page is plain ES modules with no build step: the page server must serve every module
 * the page reaches, as JavaScript, and nothing that is not a plain-named file of the page.
 */

describe('sandbox page assets', () => {
  let front: FrontServer;
  beforeAll(async () => {
    front = await startFrontServer({
      port: 0,
      host: '127.0.0.1',
      emulator: new MetaEmulator({
        appSecret: 's',
        verifyToken: 'v',
        tokens: { whatsapp: 'w', messenger: 'm', instagram: 'i' },
      }),
      webUrl: 'http://127.0.0.1:9',
      info: () => ({}),
    });
  });
  afterAll(() => front.stop());

  const get = (path: string) => fetch(`${front.url}${path}`);

  it('serves each module index.html loads and each module they import, as JavaScript', async () => {
    const html = await (await get('/sandbox/')).text();
    const pending = [...html.matchAll(/<script type="module" src="\/sandbox\/assets\/([a-z0-9-]+\.js)"/g)].map(
      (m) => m[1],
    );
    expect(pending).toContain('sandbox.js');
    const served = new Set<string>();
    for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
      if (served.has(name)) continue;
      const response = await get(`/sandbox/assets/${name}`);
      expect([name, response.status, response.headers.get('content-type')]).toEqual([
        name,
        200,
        'text/javascript; charset=utf-8',
      ]);
      served.add(name);
      const source = await response.text();
      pending.push(...[...source.matchAll(/from '\.\/([a-z0-9-]+\.js)'/g)].map((m) => m[1]));
    }
    expect([...served]).toEqual(expect.arrayContaining(['conversation.js', 'cards.js', 'composer.js', 'live.js']));
  });

  it('serves the styles and the icon with their types', async () => {
    expect((await get('/sandbox/assets/sandbox.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect((await get('/sandbox/assets/favicon.svg')).headers.get('content-type')).toBe('image/svg+xml');
  });

  it('answers 404 for a missing file, another kind of file, and any name reaching outside the folder', async () => {
    for (const path of [
      '/sandbox/assets/missing.js',
      '/sandbox/assets/start-sandbox.ts',
      '/sandbox/assets/..%2Ffront-server.ts',
      '/sandbox/assets/%2E%2E%2Ffront-server.ts',
      '/sandbox/assets/sub/dom.js',
      '/sandbox/assets/x.constructor',
    ]) {
      expect([path, (await get(path)).status]).toEqual([path, 404]);
    }
  });
});
