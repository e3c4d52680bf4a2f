import type { FakeGraph } from './fake-graph';
import type { RecordedRequest } from './http-fake';
import { asSendBody } from './send-body';

/**
 * What the user saw, from the Send API calls FakeGraph recorded: plain texts, WhatsApp
 * interactive (reply-button) messages and Messenger/Instagram texts with quick replies, in order,
 * plus the signs of life (read receipts, typing) that are not messages.
 */
export interface SeenReply {
  to: string;
  text: string;
  /** ids of the buttons / quick replies offered with it */
  choices: string[];
  request: RecordedRequest;
  index: number;
}

export function replies(graph: FakeGraph, to?: string): SeenReply[] {
  const seen: SeenReply[] = [];
  graph.requests.forEach((request, index) => {
    const body = asSendBody(request.body);
    if (request.method !== 'POST' || !body) return;
    if (body.type === 'text' && typeof body.text?.body === 'string') {
      seen.push({ to: String(body.to), text: body.text.body, choices: [], request, index });
    } else if (body.type === 'interactive' && body.interactive?.type === 'button') {
      const buttons = body.interactive?.action?.buttons ?? [];
      seen.push({
        to: String(body.to),
        text: String(body.interactive?.body?.text),
        choices: buttons.map((b) => String(b.reply?.id)),
        request,
        index,
      });
    } else if (typeof body.message?.text === 'string') {
      const quick = body.message.quick_replies ?? [];
      seen.push({
        to: String(body.recipient?.id),
        text: body.message.text,
        choices: quick.map((q) => String(q.payload)),
        request,
        index,
      });
    }
  });
  return to === undefined ? seen : seen.filter((reply) => reply.to === to);
}

/** Matches the ids of a yes/no question's buttons: each carries the question's id. */
export const yesNoIds = (): unknown[] => [
  expect.stringMatching(/^\/yes [0-9a-f]+$/),
  expect.stringMatching(/^\/no [0-9a-f]+$/),
];

/** The payload of a reply's Yes (or No) button. */
export function choiceOf(reply: SeenReply, answer: 'yes' | 'no'): string {
  const id = reply.choices.find((choice) => choice.startsWith(`/${answer} `));
  if (!id) throw new Error(`the reply "${reply.text}" offers no ${answer}`);
  return id;
}

export function signsOfLife(
  graph: FakeGraph,
): Array<{ kind: 'read' | 'typing'; request: RecordedRequest; index: number }> {
  const signs: Array<{ kind: 'read' | 'typing'; request: RecordedRequest; index: number }> = [];
  graph.requests.forEach((request, index) => {
    const body = asSendBody(request.body);
    if (!body) return;
    if (body.status === 'read') signs.push({ kind: body.typing_indicator ? 'typing' : 'read', request, index });
    if (body.sender_action === 'mark_seen') signs.push({ kind: 'read', request, index });
    if (body.sender_action === 'typing_on') signs.push({ kind: 'typing', request, index });
  });
  return signs;
}

/**
 * The id the fake Graph gave a reply it accepted: WhatsApp's `messages[0].id` (a wamid),
 * Messenger's and Instagram's `message_id`. What a reaction to that reply names.
 */
export function sentIdOf(reply: SeenReply): string {
  const body = reply.request.answeredBody as { messages?: Array<{ id?: string }>; message_id?: string } | undefined;
  const id = body?.messages?.[0]?.id ?? body?.message_id;
  if (reply.request.answeredWith !== 200 || !id) throw new Error(`the reply "${reply.text}" was not accepted`);
  return id;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The fields of a product card message the tests read. */
export interface CardBody {
  to?: string;
  interactive?: {
    type?: string;
    header?: { type?: string; text?: string; image?: { link?: string } };
    body?: { text?: string };
    footer?: { text?: string };
    action?: {
      catalog_id?: string;
      product_retailer_id?: string;
      sections?: Array<{ title: string; product_items: Array<{ product_retailer_id: string }> }>;
      parameters?: { display_text: string; url: string };
    };
  };
  recipient?: { id?: string };
  message?: { attachment?: { payload?: { template_type?: string; elements?: CarouselElement[] } } };
}

export interface CarouselElement {
  title: string;
  subtitle: string;
  image_url: string;
  default_action: { url: string };
  buttons: Array<{ type: string; title: string; url?: string; payload?: string }>;
}

/**
 * Product card messages the user received, in order: WhatsApp `product`, `product_list` and
 * `cta_url` interactive messages, and Messenger/Instagram generic template carousels.
 */
export interface SeenCards {
  to: string;
  kind: string;
  body: CardBody;
  index: number;
  /** the status the fake answered (a failed send is recorded too) */
  status: number | undefined;
}

const CARD_TYPES = new Set(['product', 'product_list', 'cta_url']);

export function productMessages(graph: FakeGraph, to?: string): SeenCards[] {
  const seen: SeenCards[] = [];
  graph.requests.forEach((request, index) => {
    const body = request.body as CardBody | undefined;
    if (request.method !== 'POST' || typeof body !== 'object' || body === null) return;
    const kind = body.interactive?.type;
    if (kind && CARD_TYPES.has(kind)) {
      seen.push({ to: String(body.to), kind, body, index, status: request.answeredWith });
    } else if (body.message?.attachment?.payload?.template_type === 'generic') {
      seen.push({ to: String(body.recipient?.id), kind: 'carousel', body, index, status: request.answeredWith });
    }
  });
  return to === undefined ? seen : seen.filter((cards) => cards.to === to);
}
