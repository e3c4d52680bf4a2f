import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { parseEvalEnv } from '../config/eval-env';
import { checkFirstContact, CHECKS } from '../eval/checks';
import { runEval } from '../eval/harness';
import { answerFromSuite } from '../eval/offline-model';
import { formatReport, writeReport, type EvalReport } from '../eval/report';
import { loadSuite } from '../eval/suite';
import { FakeModel, type ChatBody } from './helpers/fake-model';
import { testEnv } from './helpers/system';
import { defined, firstOf } from './helpers/present';

/**
 * `npm run eval` kept honest: the harness runs part of the suite through the real web and worker
 * against a scripted fake model, once answering well and once badly. The report has its shape,
 * good answers pass, and each kind of bad answer fails the check made for it, so a score of the
 * harness means something.
 */
const IDS = [
  'casual-greeting-es',
  'casual-octopus-en',
  'hard-fever-en',
  'shop-desklamp-it',
  'memory-budget-shop-en',
  'memory-vegetarian-en',
  'unknown-dog-de',
  'contemplate-offers-fr',
];
const suite = loadSuite();
const conversations = suite.filter((c) => IDS.includes(c.id));

const checkResult = z.object({ check: z.enum(CHECKS), passed: z.boolean(), detail: z.string().optional() });
const reportShape = z.object({
  startedAt: z.string(),
  finishedAt: z.string(),
  backend: z.string(),
  models: z.record(z.string(), z.string().nullable()),
  defaultMode: z.string(),
  judge: z.string().optional(),
  summary: z.object({ conversations: z.number(), passed: z.number(), passRate: z.number() }),
  byMode: z.array(
    z.object({
      mode: z.string(),
      backend: z.string(),
      conversations: z.number(),
      passed: z.number(),
      checks: z.record(z.string(), z.object({ passed: z.number(), of: z.number() })),
      latencyMs: z.object({ p50: z.number().nullable(), p95: z.number().nullable(), max: z.number().nullable() }),
      judgeMean: z.number().nullable(),
    }),
  ),
  routing: z.object({
    confusion: z.record(z.enum(['casual', 'hard']), z.record(z.enum(['fast', 'thinking', 'other']), z.number())),
    accuracy: z.number().nullable(),
    reasons: z.record(z.string(), z.number()),
  }),
  conversations: z.array(
    z.object({
      id: z.string(),
      mode: z.string(),
      label: z.enum(['casual', 'hard']),
      routed: z.string().optional(),
      passed: z.boolean(),
      checks: z.array(checkResult),
      answers: z.array(z.object({ text: z.string(), parts: z.number(), latencyMs: z.number().optional() })),
      judge: z.object({ score: z.number(), reason: z.string() }).optional(),
    }),
  ),
});

/** What one run of the harness checked about one conversation: check name → passed. */
const checksOf = (report: EvalReport, id: string) =>
  Object.fromEntries(defined(report.conversations.find((c) => c.id === id)).checks.map((c) => [c.check, c.passed]));

async function evaluate(answer: (body: ChatBody) => string, extra: Record<string, string> = {}) {
  const model = await new FakeModel(answer).start();
  try {
    const env = testEnv({
      LLM_BASE_URL: model.url,
      LLM_MODEL_FAST: 'fake-fast',
      LLM_MODEL_THINKING: 'fake-thinking',
      DEFAULT_MODE: undefined,
      LLM_PROVIDER: 'generic',
      ...extra,
    });
    const evalEnv = parseEvalEnv({ ...env, EVAL_JUDGE_MODEL: 'fake-judge', EVAL_TIMEOUT_MS: '20000' });
    const report = await runEval({ env, evalEnv, conversations });
    return { report, requests: model.chatRequests() };
  } finally {
    await model.stop();
  }
}

describe('npm run eval', () => {
  it('scores good answers as passing, with the report in its shape and the routing table', async () => {
    const reference = answerFromSuite(conversations);
    const { report, requests } = await evaluate((body) =>
      body.model === 'fake-judge' ? '{"score": 5, "reason": "right and kind"}' : reference(body),
    );
    expect(reportShape.safeParse(report).error).toBeUndefined();
    expect(report.summary).toEqual({ conversations: IDS.length, passed: IDS.length, passRate: 1 });
    expect(report.byMode.map((m) => m.mode).sort()).toEqual(['auto', 'contemplating', 'shopping']);
    expect(report.routing.confusion).toEqual({
      casual: { fast: 4, thinking: 0, other: 0 },
      hard: { fast: 0, thinking: 1, other: 0 },
    });
    expect(defined(report.byMode.find((m) => m.mode === 'auto')).judgeMean).toBe(5);
    expect(report.byMode.every((m) => m.latencyMs.p50 !== null)).toBe(true);
    // Each route reached the model it names: the hard question the thinking model, the rest the fast one.
    const asked = (text: string) =>
      requests.find((r) => r.model !== 'fake-judge' && FakeModel.describe(r.messages?.at(-1)?.content) === text)?.model;
    expect(asked(firstOf(defined(conversations.find((c) => c.id === 'hard-fever-en')?.messages)))).toBe(
      'fake-thinking',
    );
    expect(asked(firstOf(defined(conversations.find((c) => c.id === 'casual-greeting-es')?.messages)))).toBe(
      'fake-fast',
    );
    // The remembered budget reached the model with the question.
    const budget = requests.find((r) => JSON.stringify(r.messages).includes('My budget is 50 euros at most'));
    expect(budget?.model).toBe('fake-fast');

    const dir = mkdtempSync(join(tmpdir(), 'threadline-eval-'));
    writeReport(join(dir, 'nested', 'report.json'), report);
    expect(JSON.parse(readFileSync(join(dir, 'nested', 'report.json'), 'utf8'))).toEqual(
      JSON.parse(JSON.stringify(report)),
    );
    const printed = formatReport(report);
    expect(printed).toMatch(/^Threadline eval: 8\/8 conversations passed every check/);
    expect(printed).toMatch(/\nauto +generic +5\/5 /);
    expect(printed).toMatch(/casual +4 +0 +0\nhard +0 +1 +0/);
  }, 120_000);

  it('scores bad answers as failures, each by the check made for it', async () => {
    const bad = (body: ChatBody): string => {
      if (body.model === 'fake-judge') return '{"score": 1, "reason": "leaks and invents"}';
      if (body.model === 'fake-router') return 'thinking';
      const asked = FakeModel.describe([...(body.messages ?? [])].reverse().find((m) => m.role === 'user')?.content);
      if (/lampada/.test(asked)) return 'Sì: the Lumen LED desk lamp costs 29.99 EUR.';
      if (/bag/.test(asked)) return 'Take the Verde vegan leather backpack at 58.00 EUR.';
      if (/dinner/.test(asked)) return 'Grill a chicken breast with some rice.';
      if (/Hund/.test(asked)) return 'Dein Hund heißt Rex, das ist ein schöner Name für ihn.';
      if (/octopus/.test(asked)) return 'Octopuses are amazing. '.repeat(60);
      // Reasoning tags are cut by the client (src/inference/reasoning-text.ts); a template token is not.
      return `Here is what I think about it, in English.<|im_end|>`;
    };
    const { report } = await evaluate(bad, { LLM_MODEL_ROUTER: 'fake-router' });
    expect(reportShape.safeParse(report).error).toBeUndefined();
    expect(report.summary.passed).toBe(0);
    expect(checksOf(report, 'hard-fever-en')['no-leak']).toBe(false);
    expect(checksOf(report, 'casual-greeting-es').language).toBe(false);
    expect(checksOf(report, 'contemplate-offers-fr').language).toBe(false);
    expect(checksOf(report, 'shop-desklamp-it').catalog).toBe(false);
    expect(checksOf(report, 'memory-budget-shop-en').memory).toBe(false);
    expect(checksOf(report, 'memory-vegetarian-en').memory).toBe(false);
    expect(checksOf(report, 'unknown-dog-de').unknown).toBe(false);
    expect(checksOf(report, 'casual-octopus-en').length).toBe(false);
    // The router called every casual question hard: the routing check and the table say so.
    expect(checksOf(report, 'casual-greeting-es').routing).toBe(false);
    expect(report.routing.confusion.casual).toEqual({ fast: 0, thinking: 4, other: 0 });
    expect(report.routing.reasons).toEqual({ router: 5 });
    expect(report.conversations.every((c) => checksOf(report, c.id).judge === false)).toBe(true);
  }, 120_000);

  it('fails a first reply that does not tell the person they talk to an AI', () => {
    const notice = "Hi! You're talking to an AI assistant. Send /privacy to see what is kept, /forget all to erase it.";
    expect(checkFirstContact(`${notice}\n\nHello!`, notice)).toEqual({ check: 'first-contact', passed: true });
    expect(checkFirstContact('Hello!', notice)).toMatchObject({ check: 'first-contact', passed: false });
  });
});
