/**
 * The message tags a send may go under. `human-agent` is Meta's `HUMAN_AGENT` on Messenger and
 * Instagram: a reply a person from the team wrote, up to 7 days after the person's last message.
 * Meta allows it for human replies only, so only an agent's reply during a handoff carries it,
 * never an answer, reminder or notice of the assistant's own.
 */
export const MESSAGE_TAGS = ['human-agent'] as const;
export type MessageTag = (typeof MESSAGE_TAGS)[number];
