import { Cluster, type Redis } from 'ioredis';
import type { RedisClient } from './connection';

/**
 * Whether Redis can serve every key Threadline writes. One server: it answers PING. A Redis
 * Cluster: every master that serves hash slots answers, and the cluster says `cluster_state:ok`.
 * A cluster with one master down still answers a plain PING (it goes to a live node), but every
 * conversation, queue or link whose slot that master served is stuck until its replica takes
 * over: that is an outage for those people, and readiness and metrics say so while it lasts.
 */
export interface RedisHealth {
  ready: boolean;
  /** masters serving slots that do not answer (one server: 1 while it does not answer) */
  mastersUnreachable: number;
  /** why it is not ready, in a few words for `/readyz` */
  reason?: string;
}

/** How long one probe waits for a node's answer. */
const PROBE_TIMEOUT_MS = 1000;

export async function checkRedis(redis: RedisClient, timeoutMs = PROBE_TIMEOUT_MS): Promise<RedisHealth> {
  if (redis instanceof Cluster) return checkCluster(redis, timeoutMs);
  const up = await answers(redis.ping(), timeoutMs);
  return up
    ? { ready: true, mastersUnreachable: 0 }
    : { ready: false, mastersUnreachable: 1, reason: 'redis unavailable' };
}

const SLOTS = 16384;
const nodeKey = (node: Redis) => `${node.options.host ?? ''}:${node.options.port ?? ''}`;

/**
 * Probes the masters the client's slot map names. A master that died is gone from the client's
 * connections but still named by the map until a replica is promoted, so it counts as
 * unreachable; the map is then refreshed, so the promoted replica is found (and the map fixed for
 * every command) as soon as it serves the slots.
 */
async function checkCluster(cluster: Cluster, timeoutMs: number): Promise<RedisHealth> {
  if (cluster.status !== 'ready') {
    return {
      ready: false,
      mastersUnreachable: Math.max(1, ownersOf(cluster).size),
      reason: 'redis cluster unavailable',
    };
  }
  const owners = ownersOf(cluster);
  const connections = new Map(cluster.nodes('master').map((node) => [nodeKey(node), node]));
  const answered = await Promise.all(
    [...owners].map((key) => {
      const node = connections.get(key);
      return node ? answers(node.ping(), timeoutMs) : Promise.resolve(false);
    }),
  );
  const mastersUnreachable = answered.filter((up) => !up).length;
  const covered = owners.size > 0 && everySlotServed(cluster);
  if (mastersUnreachable > 0 || !covered) {
    cluster.refreshSlotsCache();
    const down = Math.max(mastersUnreachable, covered ? 0 : 1);
    return { ready: false, mastersUnreachable: down, reason: `redis cluster degraded: ${down} master(s) unreachable` };
  }
  const info = await within(cluster.cluster('INFO'), timeoutMs);
  if (typeof info === 'string' && /^cluster_state:ok\s*$/m.test(info)) return { ready: true, mastersUnreachable: 0 };
  return { ready: false, mastersUnreachable: 0, reason: 'redis cluster state is not ok' };
}

/** The `host:port` of each master that serves a slot, as the client's slot map has it. */
function ownersOf(cluster: Cluster): Set<string> {
  const owners = new Set<string>();
  for (const nodes of cluster.slots) if (nodes?.[0]) owners.add(nodes[0]);
  return owners;
}

function everySlotServed(cluster: Cluster): boolean {
  for (let slot = 0; slot < SLOTS; slot += 1) if (!cluster.slots[slot]?.[0]) return false;
  return true;
}

async function answers(reply: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  return (await within(reply, timeoutMs)) !== undefined;
}

/** The reply, or undefined when it failed or took longer than `timeoutMs`. */
async function within<T>(reply: Promise<T>, timeoutMs: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), timeoutMs)));
  try {
    return await Promise.race([reply.catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}
