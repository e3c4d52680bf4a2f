import type { Logger } from '../logging';
import type { CatalogSource } from './catalog-sources';
import type { Product } from './product';
import { ProductSearch } from './product-search';
import type { CatalogSnapshotStore, SnapshotMeta } from './snapshot-store';

/**
 * One worker's view of the shared catalog. It follows the snapshot version in Redis and, when it
 * changes, reads the new snapshot and builds a new search index beside the one in use, then swaps
 * the reference: searches never wait for a refresh and never see half an index. Every worker also
 * offers to refresh the snapshot from the source; a short Redis lock and the `refreshed-at` mark
 * make one process do it per period. A source that fails keeps the last good snapshot.
 */

export type RefreshOutcome = 'refreshed' | 'unchanged' | 'not due' | 'locked' | 'failed';

export interface LiveCatalogOptions {
  store: CatalogSnapshotStore;
  /** no source: this process only follows snapshots others write */
  source: CatalogSource | undefined;
  refreshIntervalMs: number;
  /** how often the snapshot version is checked */
  followIntervalMs: number;
  /** the refresh lock's lifetime: longer than a load can take */
  refreshLockMs: number;
  logger: Logger;
}

export interface CurrentCatalog {
  search: ProductSearch;
  meta: SnapshotMeta;
}

export class LiveCatalog {
  private active: CurrentCatalog | undefined;
  private following: Promise<boolean> | undefined;
  private timers: NodeJS.Timeout[] = [];

  constructor(private readonly options: LiveCatalogOptions) {}

  /** The catalog in use, or undefined while none has been loaded. */
  current(): CurrentCatalog | undefined {
    return this.active;
  }

  /**
   * Loads what is there (refreshing first when there is nothing yet), then keeps following.
   * Resolves once a catalog is in use, or once it is clear none is coming soon (the source
   * failed, or another process held the refresh lock for its whole lifetime); callers that must
   * not wait for a catalog at boot need not await it.
   */
  async start(): Promise<void> {
    await this.follow();
    if (!this.active && this.options.source) {
      const outcome = await this.refresh();
      await this.follow();
      if (outcome === 'locked') await this.waitForFirstSnapshot();
    }
    const every = (ms: number, task: () => Promise<unknown>) => {
      const timer = setInterval(
        () => void task().catch((error: unknown) => this.logFailure('catalog task', error)),
        ms,
      );
      timer.unref();
      this.timers.push(timer);
    };
    every(this.options.followIntervalMs, () => this.follow());
    if (this.options.source) every(this.options.refreshIntervalMs, () => this.refresh().then(() => this.follow()));
  }

  /** Another process is writing the first snapshot: poll for it, as long as its lock can live. */
  private async waitForFirstSnapshot(): Promise<void> {
    const deadline = Date.now() + this.options.refreshLockMs;
    while (!this.active && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await this.follow();
    }
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  /** Picks up a new snapshot version if there is one; resolves true when the index was swapped. */
  follow(): Promise<boolean> {
    this.following ??= this.followOnce().finally(() => (this.following = undefined));
    return this.following;
  }

  private async followOnce(): Promise<boolean> {
    const { store } = this.options;
    const version = await store.currentVersion();
    if (!version || version === this.active?.meta.version) return false;
    const meta = await store.readMeta(version);
    const products = meta ? await store.readProducts(meta) : null;
    if (!meta || !products) return false; // replaced while we read: the next check takes the newer one
    const started = Date.now();
    const search = await ProductSearch.build(version, products);
    this.active = { search, meta };
    this.options.logger.info(
      { catalogVersion: version, products: products.length, source: meta.source, indexMs: Date.now() - started },
      'catalog index swapped in',
    );
    return true;
  }

  /** Re-reads the source into a new snapshot, if due and if no other process is doing it. */
  async refresh(force = false): Promise<RefreshOutcome> {
    const { store, source, logger } = this.options;
    if (!source) return 'not due';
    const last = await store.refreshedAt();
    // A little slack so processes whose timers drift do not refresh twice in one period.
    if (!force && last !== undefined && Date.now() - last < this.options.refreshIntervalMs * 0.9) return 'not due';
    if (!(await store.tryLock(this.options.refreshLockMs))) return 'locked';
    try {
      // Only a Graph read needs the previous snapshot (to carry over items a short read missed).
      const previous = source.kind === 'graph' ? await this.previousSnapshot() : undefined;
      const loaded = await source.load(previous);
      const written = await store.write({
        source: source.kind,
        catalogId: source.catalogId,
        products: loaded.products,
        carried: loaded.carried,
        summary: loaded.summary,
      });
      await store.markRefreshed();
      logger.info(
        { catalog: source.description, products: loaded.products.length, version: written.version, ...loaded.summary },
        written.changed ? 'catalog refreshed' : 'catalog unchanged',
      );
      return written.changed ? 'refreshed' : 'unchanged';
    } catch (error) {
      this.logFailure(`catalog refresh from ${source.description} failed; keeping the last good snapshot`, error);
      return 'failed';
    } finally {
      await store.unlock();
    }
  }

  private async previousSnapshot(): Promise<{ products: Product[]; carried: string[] } | undefined> {
    const { store } = this.options;
    const version = await store.currentVersion();
    if (!version) return undefined;
    const meta = version === this.active?.meta.version ? this.active.meta : await store.readMeta(version);
    const products = meta ? await store.readProducts(meta) : null;
    return meta && products ? { products, carried: meta.carried } : undefined;
  }

  private logFailure(message: string, error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    this.options.logger.warn({ reason }, message);
  }
}
