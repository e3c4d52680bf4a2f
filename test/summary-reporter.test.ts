import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

/**
 * The closing "Tests: N passed, M failed, K skipped" line is what CI reads. A suite that fails to
 * load has no failing tests of its own; the line must still say the run failed.
 */

interface RunResults {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numFailedTestSuites: number;
  numRuntimeErrorTestSuites: number;
}

// The reporter is plain JS (Jest loads it without a transform).
const reporter = createRequire(__filename)('./summary-reporter.js') as { summaryLine(results: RunResults): string };

const REPORTER = path.join(__dirname, 'summary-reporter.js');
const JEST = require.resolve('jest/bin/jest');

const results = (overrides: Partial<RunResults>): RunResults => ({
  numPassedTests: 0,
  numFailedTests: 0,
  numPendingTests: 0,
  numTodoTests: 0,
  numFailedTestSuites: 0,
  numRuntimeErrorTestSuites: 0,
  ...overrides,
});

describe('summary reporter', () => {
  it('counts a suite that failed to run as failed and says so', () => {
    const line = reporter.summaryLine(
      results({ numPassedTests: 177, numFailedTestSuites: 1, numRuntimeErrorTestSuites: 1 }),
    );
    expect(line).toBe('Tests: 177 passed, 1 failed, 0 skipped (1 suite failed to run)');
  });

  it('adds failing tests and broken suites, and counts skipped and todo tests', () => {
    const line = reporter.summaryLine(
      results({
        numPassedTests: 10,
        numFailedTests: 2,
        numPendingTests: 1,
        numTodoTests: 1,
        numFailedTestSuites: 3,
        numRuntimeErrorTestSuites: 2,
      }),
    );
    expect(line).toBe('Tests: 10 passed, 4 failed, 2 skipped (2 suites failed to run)');
  });

  it('keeps the plain form for a clean run', () => {
    expect(reporter.summaryLine(results({ numPassedTests: 5 }))).toBe('Tests: 5 passed, 0 failed, 0 skipped');
  });

  it('in a real Jest run with a suite that throws on load: closing line says failed, exit code non-zero', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'threadline-reporter-'));
    try {
      writeFileSync(path.join(dir, 'fine.test.js'), "test('passes', () => expect(1).toBe(1));\n");
      writeFileSync(path.join(dir, 'broken.test.js'), "require('./does-not-exist');\ntest('never runs', () => {});\n");
      writeFileSync(
        path.join(dir, 'jest.config.js'),
        `module.exports = { rootDir: ${JSON.stringify(dir)}, testEnvironment: 'node', transform: {}, reporters: [${JSON.stringify(REPORTER)}] };\n`,
      );
      const run = spawnSync(process.execPath, [JEST, '--config', path.join(dir, 'jest.config.js'), '--ci'], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 60_000,
      });
      const lines = run.stdout.trim().split('\n');
      expect(lines.at(-1)).toBe('Tests: 1 passed, 1 failed, 0 skipped (1 suite failed to run)');
      expect(run.status).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
