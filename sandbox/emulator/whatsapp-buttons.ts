import { z } from 'zod';
import { charCount } from './card-views';

/**
 * WhatsApp reply buttons (`interactive.type: "button"`), checked as the Cloud API checks them:
 * a body of at most 1024 characters, 1 to 3 buttons of type `reply`, each with a unique id of at
 * most 256 characters and a title of at most 20. A tap comes back as an `interactive`
 * `button_reply` message carrying the button's id and title.
 */

const schema = z.looseObject({
  body: z.looseObject({ text: z.string() }).optional(),
  action: z.looseObject({
    buttons: z.array(
      z.looseObject({
        type: z.string(),
        reply: z.looseObject({ id: z.string(), title: z.string() }).optional(),
      }),
    ),
  }),
});

export type ReplyButtonsReading =
  { text: string; buttons: Array<{ title: string; payload: string }> } | { code: number; message: string };

const invalid = (message: string) => ({ code: 100, message: `Invalid parameter: ${message}` });

export function readReplyButtons(interactive: unknown): ReplyButtonsReading {
  const parsed = schema.safeParse(interactive);
  if (!parsed.success) return invalid(`interactive ${parsed.error.issues[0]?.message}`);
  const { body, action } = parsed.data;
  const text = body?.text ?? '';
  if (text.trim() === '') return invalid('interactive[body][text] is required');
  if (charCount(text) > 1024) return invalid('interactive[body][text] must be at most 1024 characters long');
  if (action.buttons.length < 1 || action.buttons.length > 3)
    return invalid('interactive[action][buttons] must have 1 to 3 buttons');
  const ids = new Set<string>();
  const buttons: Array<{ title: string; payload: string }> = [];
  for (const [n, button] of action.buttons.entries()) {
    const at = `interactive[action][buttons][${n}]`;
    if (button.type !== 'reply' || !button.reply) return invalid(`${at} must be of type reply`);
    const { id, title } = button.reply;
    if (id === '' || charCount(id) > 256) return invalid(`${at}[reply][id] must be 1 to 256 characters long`);
    if (ids.has(id)) return invalid(`${at}[reply][id] must be unique`);
    if (title.trim() === '' || charCount(title) > 20)
      return invalid(`${at}[reply][title] must be 1 to 20 characters long`);
    ids.add(id);
    buttons.push({ title, payload: id });
  }
  return { text, buttons };
}
