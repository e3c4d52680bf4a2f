import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A real Redis Cluster of the test's own: three masters and three replicas from Debian's
 * redis-server on free loopback ports, data in a temp dir, created with
 * `redis-cli --cluster create ... --cluster-replicas 1`. A short node timeout makes a killed
 * master's replica take over within a few seconds.
 */
export interface ClusterNode {
  port: number;
  id: string;
  role: 'master' | 'replica';
  /** the master a replica follows */
  masterId: string | undefined;
  slots: Array<[number, number]>;
}

/** Why this machine cannot run a Redis Cluster, or undefined when it can. */
export function clusterUnavailableReason(): string | undefined {
  for (const tool of ['redis-server', 'redis-cli']) {
    const found = spawnSync(tool, ['--version'], { encoding: 'utf8' });
    if (found.error || found.status !== 0) return `${tool} is not installed (apt-get install redis-server)`;
  }
  const version = /v=(\d+)\./.exec(spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).stdout);
  if (!version || Number(version[1]) < 5) return 'redis-server is older than 5: no redis-cli --cluster create';
  return undefined;
}

export class OwnCluster {
  private readonly processes = new Map<number, ChildProcess>();

  private constructor(
    readonly ports: number[],
    readonly dir: string,
  ) {}

  /** `redis-cluster://` URL naming every node as a seed. */
  get url(): string {
    return OwnCluster.urlOf(this.ports);
  }

  /** `redis-cluster://` URL naming these nodes as seeds (an operator names the masters). */
  static urlOf(ports: number[]): string {
    return `redis-cluster://${ports.map((port) => `127.0.0.1:${port}`).join(',')}`;
  }

  /** The masters that serve slots now. */
  async masters(): Promise<ClusterNode[]> {
    return (await this.nodes()).filter((node) => node.role === 'master' && node.slots.length > 0);
  }

  static async start(options: { nodeTimeoutMs?: number } = {}): Promise<OwnCluster> {
    const dir = mkdtempSync(path.join(tmpdir(), 'threadline-cluster-'));
    const cluster = new OwnCluster(await freePorts(6), dir);
    try {
      await Promise.all(cluster.ports.map((port) => cluster.startNode(port, options.nodeTimeoutMs ?? 1000)));
      const addresses = cluster.ports.map((port) => `127.0.0.1:${port}`);
      await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '1', '--cluster-yes']);
      await cluster.waitUntilHealthy();
      return cluster;
    } catch (error) {
      await cluster.destroy();
      throw error;
    }
  }

  private async startNode(port: number, nodeTimeoutMs: number): Promise<void> {
    const nodeDir = path.join(this.dir, String(port));
    mkdirSync(nodeDir);
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', nodeDir, '--daemonize', 'no'];
    args.push('--cluster-enabled', 'yes', '--cluster-config-file', 'nodes.conf');
    args.push('--cluster-node-timeout', String(nodeTimeoutMs), '--save', '', '--appendonly', 'no');
    // A replica may only take over once it has synced; the default 5 s wait before a diskless
    // sync would leave a freshly created cluster without a usable replica for that long.
    args.push('--maxmemory-policy', 'noeviction', '--repl-diskless-sync-delay', '0');
    const child = spawn('redis-server', args, { stdio: 'ignore' });
    this.processes.set(port, child);
    // A run that ends without destroy() (a crashed or timed-out test) leaves no node behind.
    process.once('exit', () => child.kill('SIGKILL'));
    const deadline = Date.now() + 10_000;
    while ((await this.cli(port, 'PING').catch(() => '')) !== 'PONG') {
      if (Date.now() > deadline) throw new Error(`redis-server on ${port} did not start in cluster mode`);
      await sleep(50);
    }
  }

  /** One command through redis-cli against one node; its reply as text. */
  async cli(port: number, ...command: string[]): Promise<string> {
    const { stdout } = await run('redis-cli', ['-p', String(port), ...command], { timeout: 5000 });
    return stdout.trim();
  }

  /** Nodes as a live node sees them (CLUSTER NODES), the dead ones left out. */
  async nodes(): Promise<ClusterNode[]> {
    const alive = this.ports.filter((port) => this.isRunning(port));
    const text = await this.cli(alive[0]!, 'CLUSTER', 'NODES');
    return text
      .split('\n')
      .map((line) => line.split(' '))
      .filter((fields) => !fields[2]!.includes('fail'))
      .map((fields) => ({
        port: Number(/:(\d+)@/.exec(fields[1]!)![1]),
        id: fields[0]!,
        role: fields[2]!.includes('master') ? 'master' : 'replica',
        masterId: fields[3] === '-' ? undefined : fields[3],
        slots: fields.slice(8).map((range) => {
          const [from, to] = range.split('-').map(Number);
          return [from!, to ?? from!] as [number, number];
        }),
      }));
  }

  /** The master serving `key`'s hash slot now. */
  async masterOf(key: string): Promise<ClusterNode> {
    const slot = keySlot(key);
    const master = (await this.nodes()).find(
      (node) => node.role === 'master' && node.slots.some(([from, to]) => slot >= from && slot <= to),
    );
    if (!master) throw new Error(`no master serves slot ${slot}`);
    return master;
  }

  /**
   * Resolves once every live node reports cluster_state:ok with every slot covered, every live
   * master serves slots (a node `--cluster create` has not yet made a replica still says master),
   * every replica's link to its master is up (a replica that never synced cannot take over), and
   * the node nodes() asks sees each node in the role it has.
   */
  async waitUntilHealthy(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const alive = this.ports.filter((port) => this.isRunning(port));
      const view = await this.nodes();
      const states = await Promise.all(
        alive.map(async (port) => {
          const own = (await this.cli(port, 'CLUSTER', 'NODES')).split('\n').find((line) => line.includes('myself'));
          const fields = own?.split(' ') ?? [];
          const role = fields[2]?.includes('master') ? 'master' : 'replica';
          const agreed = view.find((node) => node.port === port)?.role === role;
          return `${await this.cli(port, 'CLUSTER', 'INFO')}\n${await this.cli(port, 'INFO', 'replication')}\nslots:${fields.length > 8}\nagreed:${agreed}`;
        }),
      );
      const healthy = (info: string) =>
        info.includes('cluster_state:ok') &&
        info.includes('cluster_slots_ok:16384') &&
        info.includes('agreed:true') &&
        ((info.includes('role:master') && info.includes('slots:true')) || info.includes('master_link_status:up'));
      if (states.every(healthy)) return;
      if (Date.now() > deadline) throw new Error('the cluster did not become healthy');
      await sleep(100);
    }
  }

  /** The port of the live replica that follows `master`, by each node's own word. */
  async replicaOf(master: ClusterNode): Promise<number | undefined> {
    for (const port of this.ports.filter((p) => this.isRunning(p))) {
      const own = (await this.cli(port, 'CLUSTER', 'NODES')).split('\n').find((line) => line.includes('myself'));
      const fields = own?.split(' ') ?? [];
      if (fields[2]?.includes('slave') && fields[3] === master.id) return port;
    }
    return undefined;
  }

  /** Resolves once the replica `port` serves slots as a master; the time that took from `since`. */
  async waitForPromotion(port: number, since: number, timeoutMs = 30_000): Promise<number> {
    for (;;) {
      const own = (await this.cli(port, 'CLUSTER', 'NODES')).split('\n').find((line) => line.includes('myself'));
      if (own?.split(' ')[2]?.includes('master') && own.split(' ').length > 8) return Date.now() - since;
      if (Date.now() - since > timeoutMs) throw new Error(`the replica on ${port} was not promoted`);
      await sleep(50);
    }
  }

  isRunning(port: number): boolean {
    const child = this.processes.get(port);
    return child !== undefined && child.exitCode === null && child.signalCode === null;
  }

  /** SIGKILL, as a crashed host: no goodbye to the replicas. Resolves once the process is gone. */
  async kill(port: number): Promise<void> {
    const child = this.processes.get(port);
    if (!child || !this.isRunning(port)) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  async destroy(): Promise<void> {
    await Promise.all(this.ports.map((port) => this.kill(port)));
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The hash slot of `key`, as Redis Cluster computes it: CRC16 (XMODEM) of its hash tag, or of all of it. */
export function keySlot(key: string): number {
  const open = key.indexOf('{');
  const close = open === -1 ? -1 : key.indexOf('}', open + 1);
  const hashed = close > open + 1 ? key.slice(open + 1, close) : key;
  let crc = 0;
  for (const byte of Buffer.from(hashed)) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % 16384;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `count` free loopback ports in 7000-9999 whose cluster bus port (+10000) is free too. */
async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let tries = 0; ports.length < count && tries < 500; tries += 1) {
    const port = 7000 + Math.floor(Math.random() * 3000);
    if (ports.includes(port)) continue;
    if ((await portIsFree(port)) && (await portIsFree(port + 10_000))) ports.push(port);
  }
  if (ports.length < count) throw new Error('no free ports for a Redis Cluster in 7000-9999');
  return ports;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
