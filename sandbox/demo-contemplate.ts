import { DRAFT_ANGLE_INTRO, DRAFTS_INSTRUCTION } from '../src/modes/contemplate';

/**
 * Contemplating, as the offline demo responder plays it: each draft call names the angle it was
 * asked to take, and the synthesis call answers with the question and those drafts, each cut to a
 * line, so a developer sees the mode's shape (several drafts, one answer) without the words the
 * product sends the model to ask for it.
 */

/** How much of each draft the merged answer shows. */
const DRAFT_PREVIEW_CHARS = 90;

interface DemoChatMessage {
  role?: string;
  content?: unknown;
}

const systemText = (messages: DemoChatMessage[]) =>
  messages
    .filter((m) => m.role === 'system')
    .map((m) => String(m.content))
    .join('\n');

/** A draft call's angle (`For this draft: …` in its system prompt), or undefined for any other call. */
export function draftAngle(messages: DemoChatMessage[]): string | undefined {
  const system = systemText(messages);
  const at = system.lastIndexOf(DRAFT_ANGLE_INTRO);
  return at < 0 ? undefined : system.slice(at + DRAFT_ANGLE_INTRO.length).trim();
}

/** What one draft says: the angle it took (a model would write an answer from it). */
export function draftAnswer(angle: string): string {
  return `Draft: ${angle}`;
}

const preview = (text: string) => {
  const line = text
    .replace(/^Draft:\s*/, '')
    .split('\n')[0]!
    .trim();
  return line.length > DRAFT_PREVIEW_CHARS ? `${line.slice(0, DRAFT_PREVIEW_CHARS - 1).trimEnd()}…` : line;
};

/**
 * The synthesis call's question and drafts, read from its last user text (`<question>\n\n---\n
 * Draft 1:\n…\n---\n<instruction>`), or undefined when the text is not a synthesis request.
 */
export function readSynthesis(text: string): { question: string; drafts: string[] } | undefined {
  const end = text.lastIndexOf(`\n---\n${DRAFTS_INSTRUCTION}`);
  const start = text.indexOf('---\nDraft 1:\n');
  if (end < 0 || start < 0 || start > end) return undefined;
  const drafts = text
    .slice(start + '---\n'.length, end)
    .split(/(?:^|\n\n)Draft \d+:\n/)
    .filter((draft) => draft.trim() !== '')
    .map(preview);
  return { question: text.slice(0, start).trim(), drafts };
}

/** The merged answer: the question, how many drafts there were and one line of each. */
export function synthesisLines(question: string, drafts: string[]): string[] {
  return [
    `Contemplating “${question}”: ${drafts.length} drafts, merged into this answer.`,
    ...drafts.map((draft, i) => `${i + 1}. ${draft}`),
  ];
}
