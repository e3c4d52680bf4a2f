import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { defined } from './helpers/present';

/**
 * The shape of the tree, as docs/architecture.md describes it: imports point down the list of
 * folders (the core imports nothing of ours outside itself), files stay small, and comments say
 * why the code is as it is now rather than narrating its history.
 */
const ROOT = join(__dirname, '..');

/** Top to bottom: a file may import from its own layer or those below it. */
const LAYERS = [
  'workers',
  'webhooks',
  'src/turn',
  'src/quick-answers',
  'src/turn-state',
  'src/handoff',
  'src/outbound',
  'src/privacy',
  'src/reminders',
  'src/memory',
  'src/people',
  'src/commands',
  'src/modes',
  'src/shopping',
  'src/grounding',
  'src/knowledge',
  'src/catalog',
  'src/limits',
  'src/signs',
  'src/platforms',
  'src/media',
  'src/inference',
  'src/conversation',
  'src/queues',
  'src/redis',
  'src/logging',
  'src/metrics',
  'src/http',
  'src/crypto',
  'src/core',
  'src/i18n',
  'config',
];

function filesUnder(folder: string, extension = '.ts'): string[] {
  const found: string[] = [];
  const visit = (path: string) => {
    for (const name of readdirSync(path)) {
      const full = join(path, name);
      if (name === 'node_modules' || name === 'public') continue;
      if (statSync(full).isDirectory()) visit(full);
      else if (full.endsWith(extension)) found.push(full);
    }
  };
  visit(join(ROOT, folder));
  return found;
}

const layerOf = (path: string) =>
  LAYERS.findIndex((layer) => path.replace(/\.ts$/, '') === layer || path.startsWith(`${layer}/`));
const relativeImports = (source: string) => [...source.matchAll(/from '(\.[^']*)'/g)].map((m) => defined(m[1]));
const productFiles = ['src', 'workers', 'webhooks', 'config'].flatMap((folder) => filesUnder(folder));
/** The sandbox page's browser scripts (its styles and markup are not held to the code's rules). */
const pageScripts = readdirSync(join(ROOT, 'sandbox/public'))
  .filter((name) => name.endsWith('.js'))
  .map((name) => join(ROOT, 'sandbox/public', name));

describe('the tree', () => {
  it('has every import pointing down the layers (the core imports nothing of ours but the catalogues)', () => {
    const upward: string[] = [];
    for (const file of productFiles) {
      const from = relative(ROOT, file);
      for (const target of relativeImports(readFileSync(file, 'utf8'))) {
        const to = normalize(join(dirname(from), target));
        const [fromLayer, toLayer] = [layerOf(from), layerOf(to)];
        if (fromLayer === -1 || toLayer === -1) upward.push(`${from} -> ${to} (not in a known layer)`);
        else if (toLayer < fromLayer) upward.push(`${from} -> ${to}`);
        // The core's words come from the catalogues: src/i18n is the one folder of ours it may use.
        const coreMayUse = to.startsWith('src/core/') || to.startsWith('src/i18n/');
        if (from.startsWith('src/core/') && !coreMayUse) upward.push(`${from} -> ${to} (core)`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('keeps the turn in one folder, one step per file', () => {
    const steps = ['claim', 'decide', 'gather', 'read-media', 'answer', 'record', 'hand-over'];
    const turnFiles = filesUnder('src/turn').map((file) => relative(join(ROOT, 'src/turn'), file));
    for (const step of steps) expect(turnFiles).toContain(`${step}.ts`);
    expect(filesUnder('workers').map((file) => relative(ROOT, file))).not.toContain('workers/turn-processor.ts');
  });

  // The sandbox and the tools are read and extended like the product: the same limit (styles and markup aside).
  it('has no file over 250 lines', () => {
    const long = [...productFiles, ...filesUnder('sandbox'), ...pageScripts, ...filesUnder('tools')]
      .map((file) => ({ file: relative(ROOT, file), lines: readFileSync(file, 'utf8').split('\n').length }))
      .filter(({ lines }) => lines > 250);
    expect(long).toEqual([]);
  });

  it('has no comment naming an issue number, a session or "as before"', () => {
    const history = /issue [0-9]|session|as before/i;
    const files = [...productFiles, ...filesUnder('sandbox'), ...pageScripts, ...filesUnder('tools')];
    const found = files.flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .map((line, index) => ({ line, at: `${relative(ROOT, file)}:${index + 1}` }))
        .filter(({ line }) => history.test(line))
        .map(({ at }) => at),
    );
    expect(found).toEqual([]);
  });
});
