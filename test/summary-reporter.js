const { writeSync } = require('node:fs');

/**
 * Prints one plain closing line, "Tests: N passed, N failed, N skipped", as the very last line of
 * the run (after Jest's own summary), so CI systems that read a run's closing line see the counts
 * in a common form. A suite that fails to run (a syntax error, a throwing import, a missing
 * fixture) has no failing tests of its own, so it is counted as one failure and named in the line:
 * a run that did not run everything must never close with "0 failed". The exit code stays Jest's.
 */
function summaryLine(results) {
  const brokenSuites = results.numRuntimeErrorTestSuites ?? 0;
  const failed = results.numFailedTests + brokenSuites;
  const skipped = results.numPendingTests + results.numTodoTests;
  const broken = brokenSuites > 0 ? ` (${brokenSuites} suite${brokenSuites === 1 ? '' : 's'} failed to run)` : '';
  return `Tests: ${results.numPassedTests} passed, ${failed} failed, ${skipped} skipped${broken}`;
}

class SummaryLineReporter {
  onRunComplete(_contexts, results) {
    const line = `${summaryLine(results)}\n`;
    process.once('exit', () => writeSync(1, line));
  }
}
module.exports = SummaryLineReporter;
module.exports.summaryLine = summaryLine;
