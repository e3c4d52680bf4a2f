import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/** `npm run catalog:check <feed>` as an operator runs it: a diagnostics report and an exit code. */
const run = promisify(execFile);
const script = path.join(__dirname, '../../src/catalog/check-feed.ts');
const check = (feed: string) =>
  run(process.execPath, ['--import', 'tsx', script, feed], { cwd: path.join(__dirname, '../..') }).then(
    (done) => ({ code: 0, stdout: done.stdout, stderr: done.stderr }),
    (failed: { code: number; stdout: string; stderr: string }) => failed,
  );

describe('catalog:check', () => {
  it('prints rows read, rejected by reason and fields missing; exits 1 on an unusable feed', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'catalog-check-'));
    const good = path.join(dir, 'feed.csv');
    await writeFile(
      good,
      [
        'id,title,description,availability,condition,price,link,image_link,brand',
        'a,Mug,Stoneware,in stock,new,9.50 EUR,https://s.example/a,https://s.example/a.jpg,Kiln',
        'b,Bowl,Stoneware,in stock,new,,https://s.example/b,https://s.example/b.jpg,Kiln',
      ].join('\n'),
    );
    const ok = await check(good);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('Rows read:     2');
    expect(ok.stdout).toContain('Accepted:      1');
    expect(ok.stdout).toMatch(/1 {2}missing price \(rows 3\)/);
    expect(ok.stdout).toMatch(/1 {2}price \(required\)/);

    const bad = path.join(dir, 'bad.csv');
    await writeFile(bad, 'sku;name\n1;Mug\n');
    const failed = await check(bad);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('Rejected:      1');
    expect(failed.stderr).toContain('The feed cannot be used: feed has no usable product in 1 rows');
  }, 60_000);
});
