/**
 * The fields of a Send API request body the test helpers look at: a WhatsApp message (text,
 * interactive buttons, read receipt / typing) or a Messenger/Instagram message (text, quick
 * replies, sender action). Everything is optional: the helpers only read what is there.
 */
export interface SendBody {
  type?: unknown;
  to?: unknown;
  status?: unknown;
  typing_indicator?: unknown;
  sender_action?: unknown;
  text?: { body?: unknown };
  interactive?: {
    type?: unknown;
    body?: { text?: unknown };
    action?: { buttons?: Array<{ reply?: { id?: string } }> };
  };
  recipient?: { id?: unknown };
  message?: { text?: unknown; quick_replies?: Array<{ payload?: string }>; attachment?: unknown };
}

export const asSendBody = (body: unknown): SendBody | undefined =>
  typeof body === 'object' && body !== null ? body : undefined;
