import { z } from 'zod';
import { platformSchema, type Platform } from '../core/inbound';
import { FACT_CATEGORIES, SPECIAL_FACT_CATEGORIES, type RememberedFact } from '../core/remembered-fact';

/** A remembered fact as kept: the person's words and category, where and when said, when last used. */
export interface StoredFact extends RememberedFact {
  id: string;
  /** ms since the epoch */
  saidAt: number;
  /** the app it was said on */
  platform: Platform;
  /** ms since the epoch: when it was last given to the model (or saved) */
  lastUsedAt: number;
}

const storedFactSchema = z.object({
  id: z.string().min(1),
  text: z.string(),
  category: z.enum([...FACT_CATEGORIES, ...SPECIAL_FACT_CATEGORIES]),
  saidAt: z.number(),
  platform: platformSchema,
  lastUsedAt: z.number(),
});

/** A fact read back from Redis, or null when it is not one. */
export function parseStoredFact(value: unknown): StoredFact | null {
  const parsed = storedFactSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

const normalised = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** Whether two wordings are the same fact (case, spacing and punctuation aside). */
export function sameFact(a: string, b: string): boolean {
  return normalised(a) === normalised(b);
}
