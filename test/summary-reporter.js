const { writeSync } = require('node:fs');

/**
 * Prints one plain closing line, "Tests: N passed, N failed, N skipped", as the very last line of
 * the run (after Jest's own summary), so CI systems that read a run's closing line see the counts
 * in a common form.
 */
class SummaryLineReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `Tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped\n`;
    process.once('exit', () => writeSync(1, line));
  }
}
module.exports = SummaryLineReporter;
