import type { Logger } from '../logging';
import { embedPassages } from './embed-passages';
import type { Embedder } from './embeddings';
import { KnowledgeIndex, type PassageVectors } from './knowledge-index';
import type { FoundPassage, KnowledgeSearch, Passage } from './passage';
import { readKnowledge } from './read-sources';
import type { ReadLimits } from './read-limits';
import type { KnowledgeMeta, KnowledgeSnapshotStore } from './snapshot-store';

/**
 * One worker's view of the shared knowledge base, as LiveCatalog is for the catalog: it follows
 * the snapshot version in Redis and, when it changes, builds a new index beside the one in use
 * and swaps the reference, so a search never waits for a refresh nor sees half an index. Every
 * worker offers to refresh from the sources; a short Redis lock and the `refreshed-at` mark make
 * one process do it per period. A source that cannot be read keeps the last good snapshot.
 */

export type RefreshOutcome = 'refreshed' | 'unchanged' | 'not due' | 'locked' | 'failed';

export interface LiveKnowledgeOptions {
  store: KnowledgeSnapshotStore;
  /** empty: this process only follows snapshots others write */
  sources: readonly string[];
  limits: ReadLimits;
  /** undefined: lexical search only */
  embedder: Embedder | undefined;
  refreshIntervalMs: number;
  followIntervalMs: number;
  refreshLockMs: number;
  logger: Logger;
}

interface Active {
  index: KnowledgeIndex;
  meta: KnowledgeMeta;
}

/** How many passages a search gives when the caller does not say. */
export const DEFAULT_SEARCH_LIMIT = 5;

export class LiveKnowledge implements KnowledgeSearch {
  private active: Active | undefined;
  private following: Promise<boolean> | undefined;
  private timers: NodeJS.Timeout[] = [];
  private closed = false;

  constructor(private readonly options: LiveKnowledgeOptions) {}

  get size(): number {
    return this.active?.index.size ?? 0;
  }

  /** The snapshot in use (version, counts, embeddings model), or undefined before one is loaded. */
  current(): KnowledgeMeta | undefined {
    return this.active?.meta;
  }

  async search(query: string, limit = DEFAULT_SEARCH_LIMIT, signal?: AbortSignal): Promise<FoundPassage[]> {
    const active = this.active;
    if (!active || query.trim() === '') return [];
    return active.index.search(query, limit, await this.queryVector(active, query, signal));
  }

  /** The query's vector when the snapshot has vectors of the configured model; undefined (lexical only) otherwise. */
  private async queryVector(active: Active, query: string, signal?: AbortSignal): Promise<Float32Array | undefined> {
    const { embedder } = this.options;
    if (!embedder || active.index.vectors?.model !== embedder.model) return undefined;
    try {
      return (await embedder.embed([query], signal))[0];
    } catch (error) {
      if (signal?.aborted) throw error;
      this.logFailure('query embedding failed; searching by words alone', error);
      return undefined;
    }
  }

  /** Loads what is there (refreshing first when there is nothing yet), then keeps following. */
  async start(): Promise<void> {
    await this.follow();
    if (!this.active && this.options.sources.length > 0) {
      const outcome = await this.refresh();
      await this.follow();
      if (outcome === 'locked') await this.waitForFirstSnapshot();
    }
    // Closed while the first load ran (a worker stopping during boot): no timers to outlive it.
    if (this.closed) return;
    const every = (ms: number, task: () => Promise<unknown>) => {
      const timer = setInterval(
        () => void task().catch((error: unknown) => this.logFailure('knowledge task', error)),
        ms,
      );
      timer.unref();
      this.timers.push(timer);
    };
    every(this.options.followIntervalMs, () => this.follow());
    if (this.options.sources.length > 0)
      every(this.options.refreshIntervalMs, () => this.refresh().then(() => this.follow()));
  }

  private async waitForFirstSnapshot(): Promise<void> {
    const deadline = Date.now() + this.options.refreshLockMs;
    while (!this.active && !this.closed && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      await this.follow();
    }
  }

  close(): void {
    this.closed = true;
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
    const content = meta ? await store.read(meta) : null;
    if (!meta || !content) return false; // replaced while we read: the next check takes the newer one
    const started = Date.now();
    const index = await KnowledgeIndex.build(content.passages, content.vectors);
    this.active = { index, meta };
    this.options.logger.info(
      {
        knowledgeVersion: version,
        passages: meta.passageCount,
        vectors: meta.embeddings?.model ?? null,
        indexMs: Date.now() - started,
      },
      'knowledge index swapped in',
    );
    return true;
  }

  /** Re-reads the sources into a new snapshot, if due and if no other process is doing it. */
  async refresh(force = false): Promise<RefreshOutcome> {
    const { store, sources } = this.options;
    if (sources.length === 0) return 'not due';
    const last = await store.refreshedAt();
    // A little slack so processes whose timers drift do not refresh twice in one period.
    if (!force && last !== undefined && Date.now() - last < this.options.refreshIntervalMs * 0.9) return 'not due';
    if (!(await store.tryLock(this.options.refreshLockMs))) return 'locked';
    try {
      return await this.rebuild();
    } catch (error) {
      this.logFailure('knowledge refresh failed; keeping the last good snapshot', error);
      return 'failed';
    } finally {
      await store.unlock();
    }
  }

  private async rebuild(): Promise<RefreshOutcome> {
    const { store, sources, limits, logger } = this.options;
    const started = Date.now();
    const read = await readKnowledge(sources, limits);
    const failed = read.sources.filter((source) => source.failed);
    const hasSnapshot = (await store.currentVersion()) !== null;
    if (failed.length > 0 && (hasSnapshot || read.passages.length === 0)) {
      for (const source of failed) logger.warn({ reason: source.failed }, 'a knowledge source could not be read');
      throw new Error(`${failed.length} of ${sources.length} knowledge sources could not be read`);
    }
    const embedded = await this.vectorsFor(read.passages);
    const skipped = [...read.skipped, ...failed.map((source) => ({ source: source.source, reason: source.failed! }))];
    const written = await store.write({
      passages: read.passages,
      documentCount: read.documents.length,
      vectors: embedded?.vectors,
      skipped,
    });
    await store.markRefreshed();
    logger.info(
      {
        version: written.version,
        documents: read.documents.length,
        passages: read.passages.length,
        skipped: skipped.length,
        embedded: embedded?.computed ?? 0,
        ms: Date.now() - started,
      },
      written.changed ? 'knowledge refreshed' : 'knowledge unchanged',
    );
    return written.changed ? 'refreshed' : 'unchanged';
  }

  /** Vectors for the passages, reusing the current snapshot's; none (lexical only) when the endpoint fails. */
  private async vectorsFor(passages: Passage[]): Promise<{ vectors: PassageVectors; computed: number } | undefined> {
    const { embedder } = this.options;
    if (!embedder || passages.length === 0) return undefined;
    try {
      return await embedPassages(passages, embedder, await this.previousContent());
    } catch (error) {
      this.logFailure('embedding passages failed; this snapshot is searched by words alone', error);
      return undefined;
    }
  }

  private async previousContent(): Promise<{ passages: Passage[]; vectors: PassageVectors | undefined } | undefined> {
    if (this.active) return { passages: [...this.active.index.passages], vectors: this.active.index.vectors };
    const { store } = this.options;
    const version = await store.currentVersion();
    const meta = version ? await store.readMeta(version) : null;
    return (meta && (await store.read(meta))) ?? undefined;
  }

  private logFailure(message: string, error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error);
    this.options.logger.warn({ reason }, message);
  }
}
