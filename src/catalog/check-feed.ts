import { CatalogLoadError, loadFeed } from './feed-source';
import { formatFeedReport } from './feed-report';

/**
 * `npm run catalog:check <feed>`: reads a feed (a path or an https URL) exactly as the workers do
 * and prints a report in the spirit of Commerce Manager's feed diagnostics. Exit code 0 when the
 * feed gives products, 1 when it cannot be used, 2 on wrong usage.
 */
async function main(argv: string[]): Promise<number> {
  const location = argv[0];
  if (!location || argv.length > 1) {
    process.stderr.write('usage: npm run catalog:check <feed path or https URL>\n');
    return 2;
  }
  try {
    const { report } = await loadFeed(location);
    process.stdout.write(`${formatFeedReport(report)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof CatalogLoadError && error.report) process.stdout.write(`${formatFeedReport(error.report)}\n`);
    process.stderr.write(`\nThe feed cannot be used: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

void main(process.argv.slice(2)).then((code) => (process.exitCode = code));
