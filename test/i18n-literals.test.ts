import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

/**
 * Everything the assistant says by itself goes through the catalogues (src/i18n/catalogues): this
 * reads every product file under src/ and lists the string literals that read like words for a
 * person ("Sorry, I can't…", a button titled "View"). What is not for the person is left out by
 * where it is: logs, errors, the model's own instructions, operator reports and key names.
 */
const ROOT = join(__dirname, '..');

/** Files whose prose is for the model or the operator, never sent to a person. */
const NOT_FOR_PEOPLE = new Set([
  // the model's instructions and tool descriptions
  'src/modes/system-prompt.ts',
  'src/modes/contemplate.ts',
  'src/modes/auto-route.ts',
  'src/memory/memory-prompt.ts',
  'src/shopping/shopping-prompt.ts',
  'src/shopping/product-tools.ts',
  'src/shopping/catalog-fallback.ts',
  'src/shopping/message-search.ts',
  'src/shopping/photo-search.ts',
  'src/grounding/grounding.ts',
  'src/grounding/grounding-prompt.ts',
  'src/reminders/reminder-tools.ts',
  'src/grounding/hand-off-tool.ts',
  'src/grounding/near-places.ts',
  'src/media/photo-note.ts',
  // operators: the feed checker's report, Redis's settings check, metric help texts
  'src/redis/production-check.ts',
  'src/metrics/metrics.ts',
  'src/queues/redacted-job.ts',
  'src/metrics/exposition.ts',
  'src/knowledge/check-knowledge.ts',
  'src/redis/reachability.ts',
]);

/**
 * Folders of the same kind: the catalog's feed reports and errors, crypto and HTTP errors, metric
 * help texts, and the notes Threadline leaves for the business's agents in their Chatwoot inbox.
 */
const NOT_FOR_PEOPLE_FOLDERS = ['src/catalog/', 'src/crypto/', 'src/http/', 'src/metrics/', 'src/handoff/chatwoot/'];

/**
 * Literals in files that do talk to people, which are themselves for the model or the operator:
 * what the history keeps of a "More like this" tap (the model reads it), and what a failed
 * profile call is called in its error.
 */
const MODEL_OR_LOG_TEXT = [
  'src/platforms/pages/page-profile.ts "Messenger profile"',
  'src/platforms/pages/page-profile.ts "Instagram ice breakers"',
  'src/turn/shopping-tools.ts "More like this:  "',
];

const isForPeople = (file: string) =>
  !NOT_FOR_PEOPLE.has(file) && !NOT_FOR_PEOPLE_FOLDERS.some((folder) => file.startsWith(folder));

/** Calls whose text is for logs or errors: `logger.warn(…)`, `new Error(…)`, `throw new X(…)`. */
const FOR_LOGS_OR_ERRORS = /(?:^|\.)(?:info|warn|error|debug|fatal|trace|child)$|Error$|^log$|^super$/;

/**
 * Prose: a capitalised phrase ("Sorry, I can't…"), a phrase that ends a sentence ("…try again."),
 * or a capitalised word on its own as a plain string (a button's "View"). Lower-case phrases are
 * codes and reasons ("timed out", "union membership"), commands start with a slash.
 */
const PHRASE = /\p{L}{2,}[,;:.!?]?\s+\p{L}{2,}/u;
const SENTENCE_END = /[.!?…]$/;
const TITLE = /^[A-Z][a-z]+$/;
/** The apps' own names, and the HTTP auth scheme: the same in every language. */
const NAMES = new Set(['WhatsApp', 'Messenger', 'Instagram', 'Bearer']);
/** Lua scripts run by Redis are code, whatever they look like. */
const LUA = /redis\.call\(/;

function readsLikeProse(node: ts.Node, raw: string): boolean {
  const text = raw.trim();
  if (LUA.test(text) || text.startsWith('/') || NAMES.has(text)) return false;
  if (PHRASE.test(text) && (/^\p{Lu}/u.test(text) || SENTENCE_END.test(text))) return true;
  return ts.isStringLiteral(node) && TITLE.test(text);
}

function productFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const full = join(folder, name);
    if (statSync(full).isDirectory()) return productFiles(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

function calleeName(node: ts.CallExpression | ts.NewExpression): string {
  const callee = node.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (callee.kind === ts.SyntaxKind.SuperKeyword) return 'super';
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return '';
}

/** Whether the literal is an argument (or part of one) of a log or error call, or a key. */
function isExempt(node: ts.Node): boolean {
  if (ts.isPropertyAssignment(node.parent) && node.parent.name === node) return true;
  for (let at: ts.Node | undefined = node.parent; at; at = at.parent) {
    if ((ts.isCallExpression(at) || ts.isNewExpression(at)) && FOR_LOGS_OR_ERRORS.test(calleeName(at))) return true;
    if (ts.isThrowStatement(at) || ts.isImportDeclaration(at) || ts.isExportDeclaration(at)) return true;
    if (ts.isLiteralTypeNode(at)) return true;
    if (ts.isBlock(at) || ts.isSourceFile(at)) return false;
  }
  return false;
}

function literalText(node: ts.Node): string | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isTemplateExpression(node))
    return [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ');
  return undefined;
}

function proseIn(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    const text = literalText(node);
    const where = `${relative(ROOT, file)} ${JSON.stringify(text)}`;
    if (text !== undefined && readsLikeProse(node, text) && !isExempt(node) && !MODEL_OR_LOG_TEXT.includes(where)) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart());
      found.push(`${relative(ROOT, file)}:${line + 1} ${JSON.stringify(text.slice(0, 60))}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('user-facing words', () => {
  it('are all in the catalogues: no product file under src/ writes them as literals', () => {
    const files = productFiles(join(ROOT, 'src')).filter((file) => isForPeople(relative(ROOT, file)));
    expect(files.flatMap(proseIn)).toEqual([]);
  });

  it('would be found (the check itself works)', () => {
    const planted = join(ROOT, 'src/turn/answer.ts');
    const source = ts.createSourceFile(
      planted,
      "const t = 'Sorry, try later'; logger.warn('a log line');",
      ts.ScriptTarget.ES2022,
      true,
    );
    const found: string[] = [];
    const visit = (node: ts.Node) => {
      const text = literalText(node);
      if (text !== undefined && readsLikeProse(node, text) && !isExempt(node)) found.push(text);
      ts.forEachChild(node, visit);
    };
    visit(source);
    expect(found).toEqual(['Sorry, try later']);
  });
});
