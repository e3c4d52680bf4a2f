import { z } from 'zod';
import { charCount, isHttpUrl, type CardButton, type CardReading, type CarouselElement } from './card-views';

/**
 * The generic template carousel of Messenger and Instagram, checked as the Send API checks it
 * (src/platforms/pages/NOTES.md, "Templates"): 1–10 elements, a title of at most 80 characters,
 * a subtitle of at most 80, an http(s) image, a `web_url` default action, at most 3 buttons with titles of at most
 * 20 characters, postback payloads of at most 1000. Instagram takes only `web_url` and `postback`
 * buttons. The button template (an answer's sources) is read too: text of at most 640 characters
 * above 1–3 buttons. A violation answers code 100 naming the parameter, as Graph does.
 */

const LIMITS = { elements: 10, title: 80, subtitle: 80, buttons: 3, buttonTitle: 20, payload: 1000, text: 640 };

const button = z.looseObject({
  type: z.string(),
  title: z.string().optional(),
  url: z.string().optional(),
  payload: z.union([z.string(), z.number()]).optional(),
});
const element = z.looseObject({
  title: z.string().optional(),
  subtitle: z.string().optional(),
  image_url: z.string().optional(),
  default_action: z.looseObject({ type: z.string(), url: z.string().optional() }).optional(),
  buttons: z.array(button).optional(),
});
const attachment = z.looseObject({
  type: z.literal('template'),
  payload: z.looseObject({
    template_type: z.string(),
    image_aspect_ratio: z.enum(['horizontal', 'square']).optional(),
    elements: z.array(element).optional(),
    text: z.string().optional(),
    buttons: z.array(button).optional(),
  }),
});

class Rejected extends Error {}

const param = (path: string, rule: string) => new Rejected(`Param message[attachment][payload]${path} ${rule}`);

function readButton(b: z.infer<typeof button>, path: string, instagram: boolean): CardButton {
  const title = b.title ?? '';
  if (title.trim() === '') throw param(`${path}[title]`, 'is required');
  if (charCount(title) > LIMITS.buttonTitle)
    throw param(`${path}[title]`, `must be at most ${LIMITS.buttonTitle} characters`);
  if (b.type === 'web_url') {
    if (!isHttpUrl(b.url ?? '')) throw param(`${path}[url]`, 'must be a valid http(s) URL');
    return { type: 'web_url', title, url: b.url };
  }
  if (b.type === 'postback') {
    const payload = String(b.payload ?? '');
    if (payload === '') throw param(`${path}[payload]`, 'is required');
    if (charCount(payload) > LIMITS.payload)
      throw param(`${path}[payload]`, `must be at most ${LIMITS.payload} characters`);
    return { type: 'postback', title, payload };
  }
  if (instagram) throw param(`${path}[type]`, 'must be web_url or postback on Instagram');
  return { type: 'other', title };
}

function readElement(e: z.infer<typeof element>, n: number, instagram: boolean): CarouselElement {
  const at = `[elements][${n}]`;
  const title = e.title ?? '';
  if (title.trim() === '') throw param(`${at}[title]`, 'must be a non-empty UTF-8 encoded string');
  if (charCount(title) > LIMITS.title) throw param(`${at}[title]`, `must be at most ${LIMITS.title} characters`);
  if (e.subtitle !== undefined && charCount(e.subtitle) > LIMITS.subtitle)
    throw param(`${at}[subtitle]`, `must be at most ${LIMITS.subtitle} characters`);
  if (e.image_url !== undefined && !isHttpUrl(e.image_url))
    throw param(`${at}[image_url]`, 'must be a valid http(s) URL');
  const action = e.default_action;
  if (action && (action.type !== 'web_url' || !isHttpUrl(action.url ?? '')))
    throw param(`${at}[default_action]`, 'must be of type web_url with a valid URL');
  const buttons = e.buttons ?? [];
  if (buttons.length > LIMITS.buttons) throw param(`${at}[buttons]`, `must have at most ${LIMITS.buttons} buttons`);
  return {
    title,
    subtitle: e.subtitle || undefined,
    imageUrl: e.image_url,
    defaultUrl: action?.url,
    buttons: buttons.map((b, i) => readButton(b, `${at}[buttons][${i}]`, instagram)),
  };
}

function readButtonTemplate(payload: z.infer<typeof attachment>['payload'], instagram: boolean): CardReading {
  const text = payload.text ?? '';
  if (text.trim() === '') return { code: 100, message: 'Param message[attachment][payload][text] is required' };
  if (charCount(text) > LIMITS.text)
    return { code: 100, message: `Param message[attachment][payload][text] must be at most ${LIMITS.text} characters` };
  const buttons = payload.buttons ?? [];
  if (buttons.length < 1 || buttons.length > LIMITS.buttons)
    return {
      code: 100,
      message: `Param message[attachment][payload][buttons] must have 1 to ${LIMITS.buttons} buttons`,
    };
  try {
    return {
      card: { type: 'buttons', text, buttons: buttons.map((b, i) => readButton(b, `[buttons][${i}]`, instagram)) },
    };
  } catch (error) {
    if (error instanceof Rejected) return { code: 100, message: error.message };
    throw error;
  }
}

/** Reads a `message.attachment` of type template: the generic template (a carousel) or the button template. */
export function readPageCard(raw: unknown, platform: 'messenger' | 'instagram'): CardReading {
  const parsed = attachment.safeParse(raw);
  if (!parsed.success) return { code: 100, message: 'Invalid attachment: a template attachment is required' };
  const payload = parsed.data.payload;
  if (payload.template_type === 'button') return readButtonTemplate(payload, platform === 'instagram');
  if (payload.template_type !== 'generic')
    return {
      code: 100,
      message: `template_type ${payload.template_type} is not shown by the sandbox (generic, button)`,
    };
  const elements = payload.elements ?? [];
  if (elements.length < 1 || elements.length > LIMITS.elements)
    return {
      code: 100,
      message: `Param message[attachment][payload][elements] must have 1 to ${LIMITS.elements} elements`,
    };
  try {
    const read = elements.map((e, n) => readElement(e, n, platform === 'instagram'));
    return { card: { type: 'carousel', squareImages: payload.image_aspect_ratio === 'square', elements: read } };
  } catch (error) {
    if (error instanceof Rejected) return { code: 100, message: error.message };
    throw error;
  }
}
