import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { extractDocument } from '../../src/knowledge/extract';
import { cutPassages, MAX_WORDS } from '../../src/knowledge/passages';
import { readKnowledge } from '../../src/knowledge/read-sources';
import type { ReadLimits } from '../../src/knowledge/read-limits';
import { makePdf } from '../helpers/knowledge-files';
import { defined } from '../helpers/present';

/**
 * Each format the knowledge base reads, through the same code the workers run: what text comes
 * out, which headings make the title path, which anchors the links carry, what is skipped and
 * why, and the ceilings that keep a hostile PDF from costing more than its own process.
 */

const HELP = path.join(__dirname, '..', 'fixtures', 'knowledge', 'help');
const ROOT = path.join(__dirname, '..', '..');
const LIMITS: ReadLimits = {
  maxBytes: 5 * 1024 * 1024,
  maxPages: 50,
  downloadTimeoutMs: 5000,
  child: { timeoutMs: 20_000, maxMemoryMb: 256 },
};

describe('reading the business’s documents', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(path.join(tmpdir(), 'knowledge-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('reads a folder of Markdown, text, HTML and DOCX, keeping title paths, and says what it skipped', async () => {
    const read = await readKnowledge([HELP], LIMITS);
    const byPath = new Map(read.passages.map((p) => [p.titlePath.join(' › '), p]));

    expect(byPath.get('Shipping & returns › Shipping › Shipping to Canada')?.text).toMatch(
      /Orders to Canada are sent with tracked post and arrive within 7 working days/,
    );
    const returns = defined(byPath.get('Shipping & returns › Returns'));
    expect(returns.text).toContain('You may return unworn items within 30 days of delivery');
    expect(returns.text).toContain('- Gift cards cannot be returned.');
    expect(returns.text).toContain('Return address: Threadline Outfitters');
    expect(returns).toMatchObject({ source: 'shipping.md', url: undefined });

    expect(byPath.get('store hours')?.text).toMatch(/On Sunday the store opens from 11 am to 5 pm/);
    expect(byPath.get('Warranty › What the warranty covers › How to make a claim')?.text).toMatch(
      /Bring the item and your receipt/,
    );
    expect(byPath.get('Size guide › Shirts & jackets')?.text).toBe(
      '- Slim fit: take your usual size.\n- Relaxed fit: one size down if you like it close.',
    );
    const everything = read.passages.map((p) => p.text).join('\n');
    for (const chrome of ['do not index', 'Cart', '© Threadline']) expect(everything).not.toContain(chrome);

    expect(read.skipped).toEqual([{ source: 'logo.png', reason: 'not a format read here (.png)' }]);
    expect(read.sources).toEqual([{ source: HELP, documents: 4, passages: read.passages.length, failed: undefined }]);
  });

  it('links each HTML passage to the anchor of the nearest heading that has one', async () => {
    const html = `<html><body><main>
      <h1 id="help">Help</h1><p>Intro.</p>
      <section id="shoes"><h2>Shoes</h2><p>Half a size small.</p></section>
      <h2><a name="shirts"></a>Shirts</h2><p>True to size.</p>
      <h3>Linen</h3><p>Shrinks a little.</p>
    </main></body></html>`;
    const url = 'https://shop.example/help/sizes?lang=en';
    const { document } = await extractDocument(Buffer.from(html), 'html', { source: url, url }, LIMITS.child);
    const links = Object.fromEntries(cutPassages(document!).map((p) => [p.titlePath.join(' › '), p.url]));
    expect(links).toEqual({
      Help: `${url}#help`,
      'Help › Shoes': `${url}#shoes`,
      'Help › Shirts': `${url}#shirts`,
      'Help › Shirts › Linen': `${url}#shirts`,
    });
  });

  it('gives Markdown headings the slugs static-site generators give them', async () => {
    const markdown = '# Help\n\n## Returns & refunds\n\nThirty days.\n\n## Returns & refunds\n\nAgain.\n';
    const url = 'https://shop.example/help.md';
    const { document } = await extractDocument(Buffer.from(markdown), 'markdown', { source: url, url }, LIMITS.child);
    expect(cutPassages(document!).map((p) => p.url)).toEqual([`${url}#returns--refunds`, `${url}#returns--refunds-1`]);
  });

  it('cuts a long section into passages of a few hundred words, each under the same title path', async () => {
    const sentences = Array.from(
      { length: 120 },
      (_, i) => `Order ${i} is packed by hand in our Portland workshop and checked twice.`,
    );
    const markdown = `# Packing\n\n${sentences.join(' ')}`;
    const { document } = await extractDocument(
      Buffer.from(markdown),
      'markdown',
      { source: 'p.md', url: undefined },
      LIMITS.child,
    );
    const passages = cutPassages(document!);
    expect(passages.length).toBeGreaterThan(3);
    for (const passage of passages) {
      expect(passage.titlePath).toEqual(['Packing']);
      expect(passage.text.split(/\s+/).length).toBeLessThanOrEqual(MAX_WORDS);
      expect(passage.text.endsWith('twice.')).toBe(true);
    }
    expect(new Set(passages.map((p) => p.id)).size).toBe(passages.length);
  });

  it('reads a PDF in a child process, page by page, linking each page', async () => {
    const pdf = makePdf(
      ['Returns policy', 'Unworn items may be returned within 30 days.\nRefunds go to the original card.'],
      {
        title: 'Returns',
      },
    );
    const url = 'https://shop.example/returns.pdf';
    const { document, skipped } = await extractDocument(pdf, 'pdf', { source: url, url }, LIMITS.child);
    const passages = cutPassages(document!);
    expect(skipped).toEqual([]);
    expect(passages.map((p) => [p.titlePath, p.url])).toEqual([
      [['Returns', 'page 1'], `${url}#page=1`],
      [['Returns', 'page 2'], `${url}#page=2`],
    ]);
    expect(defined(passages[1]).text).toContain('Unworn items may be returned within 30 days.');
  });

  it('refuses a PDF that inflates past the memory ceiling, and one that takes too long, without harm to this process', async () => {
    const bomb = makePdf(['x'], { bombBytes: 400 * 1024 * 1024 });
    const where = { source: 'bomb.pdf', url: undefined };
    await expect(extractDocument(bomb, 'pdf', where, { timeoutMs: 20_000, maxMemoryMb: 160 })).rejects.toThrow(
      /PDF reader went over its 160 MB memory ceiling/,
    );
    const started = Date.now();
    await expect(extractDocument(bomb, 'pdf', where, { timeoutMs: 700, maxMemoryMb: 4096 })).rejects.toThrow(
      'the PDF reader took longer than 0.7 s',
    );
    expect(Date.now() - started).toBeLessThan(5000);

    // In a folder, the hostile file is a skipped part; the rest is read.
    writeFileSync(path.join(scratch, 'bomb.pdf'), bomb);
    writeFileSync(path.join(scratch, 'faq.md'), '# FAQ\n\nWe answer within a day.\n');
    const read = await readKnowledge([scratch], { ...LIMITS, child: { timeoutMs: 20_000, maxMemoryMb: 160 } });
    expect(read.passages.map((p) => p.text)).toEqual(['We answer within a day.']);
    expect(read.skipped).toEqual([{ source: 'bomb.pdf', reason: expect.stringMatching(/memory ceiling/) as string }]);
  }, 60_000);

  it('says a scanned PDF (no text layer) is skipped, and why', async () => {
    const { document, skipped } = await extractDocument(
      makePdf(['']),
      'pdf',
      { source: 'scan.pdf', url: undefined },
      LIMITS.child,
    );
    expect(document).toBeUndefined();
    expect(skipped).toEqual([{ source: 'scan.pdf', reason: expect.stringMatching(/no text layer/) as string }]);
  });

  it('prints what was read with npm run knowledge:check', async () => {
    const pdf = path.join(scratch, 'care.pdf');
    writeFileSync(pdf, makePdf(['Wash cold, dry flat.']));
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--require', require.resolve('tsx/cjs'), path.join(ROOT, 'src/knowledge/check-knowledge.ts'), HELP, pdf],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '' } },
    );
    expect(stdout).toContain(`${HELP}: 4 documents, 12 passages`);
    expect(stdout).toContain('  4. Shipping & returns › Returns (41 words)');
    expect(stdout).toContain('  1. care › page 1 (4 words)');
    expect(stdout).toContain('  logo.png: not a format read here (.png)');
    expect(stdout).toContain('Total: 5 documents, 13 passages, 1 skipped');
  }, 30_000);
});
