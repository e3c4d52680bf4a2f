/** What the handoff's helpdesks keep on Threadline's side about a conversation, by helpdesk. */
export type HelpdeskKept = (conversation: string) => Promise<Array<{ target: string; kept: object }>>;

/** One helpdesk's record of one of the person's conversations, as /export lists it. */
export interface HelpdeskRecord {
  app: string;
  channel: string;
  helpdesk: string;
  kept: object;
}

/**
 * The helpdesk records of the person's conversations. A helpdesk's links are keyed by the
 * conversation's handle, so they are found through the conversation, not by a scan for the
 * person's id.
 */
export async function helpdeskRecordsOf(
  conversations: Iterable<string>,
  kept: HelpdeskKept,
): Promise<HelpdeskRecord[]> {
  const records: HelpdeskRecord[] = [];
  for (const conversation of conversations) {
    const [app = '', channel = ''] = conversation.split(':');
    for (const { target, kept: what } of await kept(conversation)) {
      records.push({ app, channel, helpdesk: target, kept: what });
    }
  }
  return records;
}
