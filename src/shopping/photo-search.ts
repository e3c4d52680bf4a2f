import type { ChatContentPart, ChatMessage } from '../inference/chat-model';
import { photoNoteIn } from '../media/photo-note';
import type { ShoppingRequest } from './shopping-answer';

/**
 * "Something like this" names no product: it points at a photo. A search whose words only point
 * searches for the photo instead: the one in this turn (the model describes it in a few search
 * words, once, when first needed) or the last one kept in the history as what the model said it
 * shows (src/media/photo-note.ts), so a follow-up a turn later still searches for the boots.
 */

const DESCRIBE_PHOTO =
  'Describe the main product in this photo as a short shop search: a few words (kind of product, colour, material, style). Answer with the search words only.';

/** Words that point at something or ask for it rather than name it. */
const POINTING = new Set(
  `a an the this that these those it its them they one ones something anything thing things stuff like similar
  same more other another else kind sort of some any show me find want need looking for please i id would get
  see to with in my photo picture pic image here there what which`.split(/\s+/),
);

/** Whether a search query only points ("something like this", "similar ones") and names nothing. */
export function namesNothing(query: string): boolean {
  const words = query
    .toLowerCase()
    .replace(/'/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
  return words.length > 0 && words.every((word) => POINTING.has(word));
}

export const hasImage = (content: ChatMessage['content']): boolean =>
  typeof content !== 'string' && content.some((part) => part.type === 'image_url');

/** How many of the person's latest turns a pointing search looks back through for a photo. */
const LOOK_BACK = 3;

/** What the model said the latest photo in the history shows, within the last few turns. */
export function earlierPhotoNote(history: ChatMessage[]): string | undefined {
  const turns = history.filter((message) => message.role === 'user').slice(-LOOK_BACK);
  for (const message of turns.reverse()) {
    const note = typeof message.content === 'string' ? photoNoteIn(message.content) : undefined;
    if (note) return note;
  }
  return undefined;
}

type PhotoRequest = Pick<ShoppingRequest, 'model' | 'settings' | 'user' | 'history' | 'signal'>;

async function describePhoto(request: PhotoRequest): Promise<string> {
  if (typeof request.user === 'string') return '';
  const images: ChatContentPart[] = request.user.filter((part) => part.type === 'image_url');
  const reply = await request.model.complete({
    ...request.settings,
    mode: 'shopping',
    messages: [{ role: 'user', content: [{ type: 'text', text: DESCRIBE_PHOTO }, ...images] }],
    signal: request.signal,
  });
  return reply.text
    .replace(/[\r\n]+/g, ' ')
    .trim()
    .slice(0, 200);
}

/** The photo a pointing search means: this turn's (described at most once), else the history's. */
export class PhotoReference {
  private described: Promise<string> | undefined;

  constructor(private readonly request: PhotoRequest) {}

  async words(): Promise<string | undefined> {
    if (!hasImage(this.request.user)) return earlierPhotoNote(this.request.history);
    this.described ??= describePhoto(this.request);
    return (await this.described) || undefined;
  }

  /** This turn's photo in words, when it was described (kept as its note if the answer gave none). */
  async ownWords(): Promise<string | undefined> {
    return this.described ? (await this.described) || undefined : undefined;
  }
}
