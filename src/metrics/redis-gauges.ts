import { Gauge, type Registry } from 'prom-client';

/** What the Redis gauges read at scrape time (src/redis/redis-health.ts gives it). */
export interface RedisHealthReading {
  ready: boolean;
  mastersUnreachable: number;
}

/**
 * `threadline_redis_ready` (1 while every key can be served: the one server, or every master of
 * a cluster, answers) and `threadline_redis_masters_unreachable`, probed when Prometheus scrapes.
 * During a cluster master's failover they read 0 and 1 until its replica serves the slots. Both
 * gauges share one probe per scrape.
 */
export function registerRedisGauges(registry: Registry, health: () => Promise<RedisHealthReading>): void {
  let probe: Promise<RedisHealthReading> | undefined;
  const reading = () =>
    (probe ??= health()
      .catch(() => ({ ready: false, mastersUnreachable: 1 }))
      .finally(() => setImmediate(() => (probe = undefined))));
  new Gauge({
    name: 'threadline_redis_ready',
    help: 'Whether Redis serves every key: 1 when the server or every cluster master answers',
    registers: [registry],
    async collect() {
      this.set((await reading()).ready ? 1 : 0);
    },
  });
  new Gauge({
    name: 'threadline_redis_masters_unreachable',
    help: 'Redis masters serving slots that do not answer (one server: 1 while it does not answer)',
    registers: [registry],
    async collect() {
      this.set((await reading()).mastersUnreachable);
    },
  });
}
