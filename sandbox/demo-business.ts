import path from 'node:path';
import { demoEmulatorCatalog, writeSandboxFeed } from './catalog/demo-shop';
import type { MetaEmulator } from './emulator/meta-emulator';
import type { SandboxOptions } from './sandbox-options';

/** Environment for the product, and the line the launcher prints about it. */
export interface BusinessChoice {
  env: Record<string, string>;
  label: string;
}

/**
 * The demo shop unless the operator named a catalog of their own: as a feed (image links on the
 * page server) or, with SANDBOX_CATALOG=commerce-manager, as the Commerce Manager catalog the
 * emulator serves through its Graph catalog edge.
 */
export async function chooseCatalog(
  options: SandboxOptions,
  emulator: MetaEmulator,
  origin: string,
): Promise<BusinessChoice> {
  // The emulator holds the demo shop as the business's Commerce Manager catalog in every case.
  emulator.catalog = demoEmulatorCatalog(origin);
  const own = options.env.CATALOG_FEED ?? options.env.META_CATALOG_ID;
  if (own) return { env: {}, label: `your own (${options.env.CATALOG_FEED ? 'CATALOG_FEED' : 'META_CATALOG_ID'})` };
  if (options.env.SANDBOX_CATALOG === 'commerce-manager') {
    const id = emulator.catalog.id;
    return { env: { META_CATALOG_ID: id }, label: `demo shop as Commerce Manager catalog ${id} (Graph catalog edge)` };
  }
  const feed = await writeSandboxFeed(path.join(options.dataDir, 'catalog'), origin);
  return { env: { CATALOG_FEED: feed }, label: `demo shop, 200 invented products (${feed})` };
}

/** The demo shop's help centre (shipping, returns, sizes, store hours, warranty, privacy) in Markdown. */
export const DEMO_HELP_CENTRE = path.join(__dirname, 'help-centre');

/** The demo help centre as the business's knowledge, unless the operator named sources of their own. */
export function chooseKnowledge(options: SandboxOptions): BusinessChoice {
  const own = options.passThrough.KNOWLEDGE_SOURCES;
  if (own) return { env: {}, label: `your own (KNOWLEDGE_SOURCES=${own})` };
  return { env: { KNOWLEDGE_SOURCES: DEMO_HELP_CENTRE }, label: `demo help centre, 6 pages (${DEMO_HELP_CENTRE})` };
}
