import { z } from 'zod';

/**
 * Where Redis is: one server (`redis://`, `rediss://`), or a Redis Cluster named by its seed nodes
 * (`redis-cluster://[user:password@]host:port,host:port`, `rediss-cluster://` for TLS, or
 * REDIS_CLUSTER_NODES `host:port,host:port`). A cluster client learns the other nodes and the
 * slot map from any one seed, so a few seeds are enough.
 */
export interface RedisClusterTarget {
  nodes: Array<{ host: string; port: number }>;
  username: string | undefined;
  password: string | undefined;
  tls: boolean;
}

const CLUSTER_URL = /^(rediss?)-cluster:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?#]+)\/?$/;
const SINGLE_URL = /^rediss?:\/\/[^\s]+$/;

function parseNodes(list: string): RedisClusterTarget['nodes'] | string {
  const nodes: RedisClusterTarget['nodes'] = [];
  for (const item of list.split(',').map((part) => part.trim())) {
    if (item === '') continue;
    const match = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(item);
    const port = Number(match?.[2]);
    if (!match || port < 1 || port > 65535) return `"${item}" is not host:port`;
    nodes.push({ host: match[1]!.replace(/^\[|\]$/g, ''), port });
  }
  return nodes.length > 0 ? nodes : 'names no node';
}

/** REDIS_URL: a single server's URL, or a cluster's seed list in the `redis-cluster://` form. */
export const redisUrl = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const cluster = CLUSTER_URL.exec(value);
    const nodes = cluster ? parseNodes(cluster[4]!) : [];
    if (typeof nodes === 'string') ctx.addIssue({ code: 'custom', message: `cluster seed list ${nodes}` });
    else if (!cluster && !SINGLE_URL.test(value))
      ctx.addIssue({
        code: 'custom',
        message: 'must be redis://host:port, rediss://host:port or redis-cluster://host:port,host:port',
      });
  });

/** REDIS_CLUSTER_NODES: `host:port,host:port`. */
export const clusterNodeList = z.string().superRefine((value, ctx) => {
  const nodes = parseNodes(value);
  if (typeof nodes === 'string') ctx.addIssue({ code: 'custom', message: `seed list ${nodes}` });
});

/**
 * The cluster that REDIS_CLUSTER_NODES or a `redis-cluster://` REDIS_URL names, or null for a
 * single server. With both set, the node list wins and the URL still gives credentials and TLS.
 */
export function clusterTarget(url: string, nodeList: string | undefined): RedisClusterTarget | null {
  const match = CLUSTER_URL.exec(url);
  if (!match && nodeList === undefined) return null;
  const nodes = parseNodes(nodeList ?? match?.[4] ?? '');
  if (typeof nodes === 'string') throw new Error(`Redis cluster seed list ${nodes}`);
  const decode = (part: string | undefined) => (part ? decodeURIComponent(part) : undefined);
  return {
    nodes,
    username: decode(match?.[2]),
    password: decode(match?.[3]),
    tls: match?.[1] === 'rediss',
  };
}
