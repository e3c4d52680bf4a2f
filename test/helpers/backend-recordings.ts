import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { LlmProvider } from '../../config';
import type { ScriptedResponse } from './http-fake';

/**
 * Response bodies of real backends, kept in test/fixtures/backends/<provider>/ (sources and
 * licences in its README.md). A file named `<what>.json` is a 200 answer; `<what>.<status>.json`
 * an error answered with that status.
 */
export const RECORDINGS_DIR = path.resolve(__dirname, '..', 'fixtures', 'backends');

export function recording(provider: LlmProvider, name: string, headers?: Record<string, string>): ScriptedResponse {
  const file = readdirSync(path.join(RECORDINGS_DIR, provider)).find(
    (candidate) => candidate === `${name}.json` || new RegExp(`^${name}\\.\\d{3}\\.json$`).test(candidate),
  );
  if (!file) throw new Error(`no recording ${provider}/${name}`);
  const status = Number(/\.(\d{3})\.json$/.exec(file)?.[1] ?? 200);
  const body: unknown = JSON.parse(readFileSync(path.join(RECORDINGS_DIR, provider, file), 'utf8'));
  return { status, body, ...(headers ? { headers } : {}) };
}

/** Every recording of a provider, by name (file name without `.json` and status). */
export function recordingNames(provider: LlmProvider): string[] {
  return readdirSync(path.join(RECORDINGS_DIR, provider))
    .filter((file) => file.endsWith('.json'))
    .map((file) => file.replace(/(\.\d{3})?\.json$/, ''));
}
