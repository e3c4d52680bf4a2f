/**
 * A tappable choice offered under a reply: Messenger/Instagram quick replies, WhatsApp reply
 * buttons. The platform sends `id` back as InboundMessage.payload when the user taps it, so the
 * id is what the bot understands (for modes: the command itself, e.g. `/think`).
 */
export interface ReplyChoice {
  id: string;
  /** short: WhatsApp and Messenger cut button titles at 20 characters */
  title: string;
}
