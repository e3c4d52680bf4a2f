import { resolve } from 'node:path';
import { evalProcessEnv, parseEvalEnv } from '../config/eval-env';
import { runEval } from './harness';
import { formatReport, writeReport } from './report';
import { filterSuite, loadSuite } from './suite';

/**
 * `npm run eval`: the suite in eval/conversations through the real web and worker against the
 * model the environment configures (LLM_BASE_URL, LLM_MODEL_FAST, ...; unset: the offline
 * reference model), a table per mode and backend, and the JSON report at EVAL_REPORT.
 * docs/evaluation.md says how to read it.
 */
async function main(): Promise<number> {
  const env = evalProcessEnv();
  const evalEnv = parseEvalEnv(env);
  const conversations = filterSuite(loadSuite(), evalEnv.EVAL_FILTER);
  if (conversations.length === 0) {
    process.stderr.write(`EVAL_FILTER=${evalEnv.EVAL_FILTER} matches no conversation\n`);
    return 2;
  }
  process.stdout.write(`Running ${conversations.length} conversations...\n`);
  const report = await runEval({ env, evalEnv, conversations, progress: (line) => process.stdout.write(`${line}\n`) });
  const path = resolve(evalEnv.EVAL_REPORT);
  writeReport(path, report);
  process.stdout.write(`\n${formatReport(report)}\n\nReport: ${path}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
