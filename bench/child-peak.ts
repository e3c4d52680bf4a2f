import { readFileSync } from 'node:fs';

/**
 * The peak resident memory of the processes this one starts while `task` runs: a PDF reader's
 * Node child, ffmpeg. Their /proc status is sampled every few milliseconds; VmHWM is each
 * process's own high-water mark, so the last sample before it exits is its peak (a process that
 * lives less than one interval may be missed, and reads as 0).
 */
export async function childPeakMb(task: () => Promise<unknown>, intervalMs = 3): Promise<number> {
  const peaks = new Map<number, number>();
  const sample = () => {
    for (const pid of childrenOf(process.pid)) {
      const kb = highWaterKb(pid);
      if (kb !== undefined) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, kb));
    }
  };
  const timer = setInterval(sample, intervalMs);
  try {
    await task();
  } finally {
    clearInterval(timer);
  }
  return Math.max(0, ...peaks.values()) / 1024;
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

function highWaterKb(pid: number): number | undefined {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
