import { currentPrice, type Product } from '../src/catalog/product';
import { loadFeed } from '../src/catalog/feed-source';
import { replyTexts } from '../src/core/reply-texts';
import { translatorFor } from '../src/i18n/translator';
import type { EvalEnv } from '../config/eval-env';
import {
  checkCatalog,
  checkContent,
  checkFirstContact,
  checkLanguage,
  checkLeaks,
  checkLength,
  checkMemory,
  checkRouting,
  checkUnknown,
  fail,
  pass,
  type CatalogProduct,
  type CheckResult,
} from './checks';
import { runConversation, type ConversationRun } from './conversation-run';
import { EVAL_CATALOG, startEvalSystem, type EvalSystem } from './eval-system';
import { createJudge, judgeCheck, type Judgement } from './judge';
import { summarise, type ConversationResult, type EvalReport } from './report';
import { LANGUAGES, type Conversation } from './suite';

/**
 * `npm run eval` without the printing: starts the product against the configured model, runs
 * each conversation of the suite in turn, scores every answer with the deterministic checks (and
 * the judge, where one is set), and returns the report.
 */
export interface EvalOptions {
  /** the operator's environment: the model settings come from here */
  env: Record<string, string | undefined>;
  evalEnv: EvalEnv;
  conversations: Conversation[];
  /** a line of progress per conversation */
  progress?: (line: string) => void;
}

/** The product's own apologies when the model failed or is not configured: no answer of the model's. */
/** The texts of a model that failed or is missing, in every language the suite speaks. */
const NO_MODEL_ANSWER = LANGUAGES.flatMap((language) => {
  const t = translatorFor(language);
  return [replyTexts.modelFailed(t), replyTexts.modelNotConfigured(t)];
});

function scoreRun(
  conversation: Conversation,
  run: ConversationRun,
  context: { notice: string | undefined; catalog: CatalogProduct[]; judgement: Judgement | undefined },
): CheckResult[] {
  const last = run.answers.at(-1)!;
  const unanswered = run.answers.findIndex((answer) => answer.latencyMs === undefined);
  const answered =
    unanswered >= 0
      ? fail('answered', `no answer to message ${unanswered + 1}`)
      : NO_MODEL_ANSWER.includes(last.text)
        ? fail('answered', 'the model failed')
        : pass('answered');
  const checks = [
    answered,
    checkLanguage(run.answers, conversation.language),
    checkLeaks(run.answers),
    checkLength(run.answers, conversation),
    checkCatalog(last, conversation, context.catalog),
    checkMemory(last, conversation),
    checkContent(last, conversation),
    checkUnknown(last, conversation),
    checkFirstContact(run.replies[0], context.notice),
    checkRouting(conversation, run.routed),
    judgeCheck(context.judgement),
  ];
  return checks.filter((check): check is CheckResult => check !== undefined);
}

/** The eval catalog as the checks compare against it: every product's title and current price. */
async function catalogProducts(): Promise<CatalogProduct[]> {
  const { products } = await loadFeed(EVAL_CATALOG);
  return products.map((product: Product) => ({ title: product.title, price: currentPrice(product).amount }));
}

function judgeFor(options: EvalOptions) {
  const { EVAL_JUDGE_MODEL, EVAL_JUDGE_BASE_URL, EVAL_JUDGE_API_KEY, LLM_BASE_URL, LLM_API_KEY } = options.evalEnv;
  const baseUrl = EVAL_JUDGE_BASE_URL ?? LLM_BASE_URL;
  if (!EVAL_JUDGE_MODEL || !baseUrl) return undefined;
  return createJudge({ baseUrl, apiKey: EVAL_JUDGE_API_KEY ?? LLM_API_KEY, model: EVAL_JUDGE_MODEL });
}

async function runOne(
  system: EvalSystem,
  conversation: Conversation,
  options: EvalOptions,
  shared: { catalog: CatalogProduct[]; judge: ReturnType<typeof judgeFor> },
): Promise<ConversationResult> {
  const run = await runConversation(system, conversation, options.evalEnv.EVAL_TIMEOUT_MS);
  const last = run.answers.at(-1)!;
  let judgement: Judgement | undefined;
  let judgeError: string | undefined;
  if (shared.judge && last.latencyMs !== undefined) {
    judgement = await shared.judge(conversation, last.text).catch((error: unknown) => {
      judgeError = error instanceof Error ? error.message : String(error);
      return undefined;
    });
  }
  const checks = scoreRun(conversation, run, {
    notice: system.notice?.(conversation.language),
    catalog: shared.catalog,
    judgement,
  });
  return {
    id: conversation.id,
    mode: conversation.mode,
    label: conversation.label,
    language: conversation.language,
    platform: conversation.platform,
    routed: run.routed,
    reason: run.reason,
    passed: checks.every((check) => check.passed),
    checks,
    answers: run.answers.map((answer) => ({
      text: answer.text,
      parts: answer.parts.length,
      latencyMs: answer.latencyMs,
    })),
    ...(judgement ? { judge: judgement } : {}),
    ...(judgeError ? { judgeError } : {}),
  };
}

export async function runEval(options: EvalOptions): Promise<EvalReport> {
  const startedAt = new Date();
  const system = await startEvalSystem(options.env, options.evalEnv, options.conversations);
  const shared = { catalog: await catalogProducts(), judge: judgeFor(options) };
  const results: ConversationResult[] = [];
  try {
    for (const conversation of options.conversations) {
      const result = await runOne(system, conversation, options, shared);
      results.push(result);
      const failed = result.checks.filter((check) => !check.passed).map((check) => check.check);
      options.progress?.(
        `${result.passed ? 'pass' : 'FAIL'} ${conversation.id}${failed.length ? ` (${failed.join(', ')})` : ''}`,
      );
    }
  } finally {
    await system.stop();
  }
  const { modes } = system.config;
  return summarise(results, {
    startedAt,
    backend: system.backend,
    models: {
      fast: modes.fast.model ?? null,
      thinking: modes.thinking.model ?? null,
      contemplating: modes.contemplating.model ?? null,
      router: modes.auto.routerModel ?? null,
    },
    defaultMode: modes.auto.defaultChoice,
    judge: shared.judge ? options.evalEnv.EVAL_JUDGE_MODEL : undefined,
  });
}
