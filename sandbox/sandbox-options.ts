import type { SandboxEnv } from '../config/sandbox-env';
import type { MetaEmulator } from './emulator/meta-emulator';
import type { ModelSource } from './model-source';
import type { SandboxRedis } from './redis';

export interface SandboxOptions {
  env: SandboxEnv;
  /** the launcher's whole environment, passed on to web and worker (sandbox values win) */
  passThrough: Record<string, string | undefined>;
  product: 'child-processes' | 'in-process';
  /** .sandbox/ under the project: Redis data and process logs */
  dataDir: string;
  /** tests: faster status webhooks, fewer retries */
  emulator?: { readAfterMs?: number; retryDelaysMs?: number[] };
  say?: (line: string) => void;
}

export interface RunningSandbox {
  url: string;
  port: number;
  emulator: MetaEmulator;
  model: ModelSource;
  redis: SandboxRedis;
  productEnv: Record<string, string>;
  /** rejects if web or worker dies */
  exited: Promise<never>;
  stop(): Promise<void>;
}

/** What stops each part already started, in the order they started. */
export type Cleanups = Array<() => Promise<void>>;
export type Say = (line: string) => void;
