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
    } else if (body.type === 'interactive') {
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

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
