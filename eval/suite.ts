import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * The evaluation suite: conversations in plain JSON files under eval/conversations/, each what a
 * person says (in order), in which mode and language, what they asked to be remembered, and what
 * a good answer to the last message must and must not do. `label` says whether the question is
 * casual or hard, so auto mode's choice can be scored against it.
 */
export const LANGUAGES = ['en', 'es', 'pt', 'fr', 'de', 'it'] as const;
export type Language = (typeof LANGUAGES)[number];

const text = z.string().trim().min(1);

export const expectationSchema = z
  .object({
    /** the answer names at least one of these (case and accents aside) */
    mentionsAny: z.array(text).optional(),
    /** the answer names none of these */
    avoids: z.array(text).optional(),
    /** nobody can know the answer: a good one says so instead of inventing it */
    unknown: z.boolean().optional(),
    /** shopping: the answer names at least one product of the catalog */
    products: z.boolean().optional(),
    /** a remembered budget: every price named is at most this */
    maxPrice: z.number().positive().optional(),
    /** remembered constraints: none of these may appear (the memory check) */
    honours: z.array(text).optional(),
    /** at most this many messages (default: 1 for a casual question in auto or fast mode, else 3) */
    maxParts: z.number().int().positive().optional(),
  })
  .strict();

export const conversationSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    label: z.enum(['casual', 'hard']),
    mode: z.enum(['auto', 'fast', 'thinking', 'contemplating', 'shopping']),
    language: z.enum(LANGUAGES),
    platform: z.enum(['whatsapp', 'messenger', 'instagram']).default('whatsapp'),
    /** facts the person asked to be remembered (memory on, then /remember each) */
    memory: z.array(text).default([]),
    messages: z.array(text).min(1),
    expect: expectationSchema.default({}),
    /** what the judge model scores the answer against */
    rubric: text.optional(),
    /** a good answer to each message (or to the last one): what the offline reference model says */
    reference: z.union([text, z.array(text)]).optional(),
  })
  .strict();

export type Conversation = z.infer<typeof conversationSchema>;

export const SUITE_DIR = join(__dirname, 'conversations');

/** Every conversation of the suite, in file then list order; a malformed file names itself. */
export function loadSuite(dir = SUITE_DIR): Conversation[] {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort();
  const conversations = files.flatMap((name) => {
    const parsed = z.array(conversationSchema).safeParse(JSON.parse(readFileSync(join(dir, name), 'utf8')));
    if (!parsed.success) throw new Error(`eval/conversations/${name}: ${parsed.error.message}`);
    return parsed.data;
  });
  const ids = new Set<string>();
  for (const { id } of conversations) {
    if (ids.has(id)) throw new Error(`eval: conversation id ${id} is used twice`);
    ids.add(id);
  }
  return conversations;
}

/** The conversations whose id, mode, language or label is in `filter` (a comma list); all when unset. */
export function filterSuite(conversations: Conversation[], filter: string | undefined): Conversation[] {
  if (!filter) return conversations;
  const wanted = new Set(filter.split(',').map((item) => item.trim()));
  return conversations.filter((c) => [c.id, c.mode, c.language, c.label].some((key) => wanted.has(key)));
}

/** The reference answer to message `index` of a conversation, when it has one. */
export function referenceFor(conversation: Conversation, index: number): string | undefined {
  const { reference, messages } = conversation;
  if (Array.isArray(reference)) return reference[index];
  return index === messages.length - 1 ? reference : undefined;
}
