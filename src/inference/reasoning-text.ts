/**
 * The answer a person may see, out of what a model put in `content`. Servers without a reasoning
 * parser (or with it off) leave the model's reasoning in the content: whole `<think>…</think>`
 * blocks (Qwen3, DeepSeek-R1; Gemini's compatible endpoint uses `<thought>`), a `<think>` never
 * closed because the token limit cut it, a lone `</think>` when the chat template opened the
 * block in the prompt (Qwen3.5, DeepSeek-V4 templates), and gpt-oss's harmony channels. None of
 * it is ever shown; what is left is the answer, possibly empty.
 */

const TAGS = 'think|thinking|thought';
const BLOCK = new RegExp(`<(${TAGS})>[\\s\\S]*?</\\1>`, 'gi');
const OPENING = new RegExp(`<(?:${TAGS})>`, 'i');
const CLOSING = new RegExp(`</(?:${TAGS})>`, 'gi');
const HARMONY_FINAL = /<\|channel\|>final<\|message\|>/;
const HARMONY_ANY = /<\|(?:start|channel|message|end)\|>/;

export interface VisibleAnswer {
  /** the answer without any reasoning, trimmed ('' when nothing but reasoning was there) */
  text: string;
  /** reasoning was found in the content and taken out */
  hadReasoning: boolean;
}

export function visibleAnswer(content: string): VisibleAnswer {
  let text = content;
  let hadReasoning = false;
  if (HARMONY_ANY.test(text)) {
    const final = HARMONY_FINAL.exec(text);
    text = final ? text.slice(final.index + final[0].length).replace(/<\|(?:end|return)\|>[\s\S]*$/, '') : '';
    hadReasoning = true;
  }
  const withoutBlocks = text.replace(BLOCK, '');
  if (withoutBlocks !== text) hadReasoning = true;
  text = withoutBlocks;
  // A closing tag with no opening one: the template opened the block; everything before it is reasoning.
  const closings = [...text.matchAll(CLOSING)];
  const lastClosing = closings[closings.length - 1];
  if (lastClosing?.index !== undefined) {
    text = text.slice(lastClosing.index + lastClosing[0].length);
    hadReasoning = true;
  }
  // An opening tag never closed: the reasoning ran to the end (usually the token limit).
  const opening = OPENING.exec(text);
  if (opening) {
    text = text.slice(0, opening.index);
    hadReasoning = true;
  }
  return { text: text.trim(), hadReasoning };
}
