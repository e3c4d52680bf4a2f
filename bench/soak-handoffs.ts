/**
 * The soak's handoffs: some users write `/human`, keep writing a few messages (which must reach
 * the helpdesk behind the plain webhook target, once each and in order, and get no answer), then
 * the soak plays the agent and resolves the conversation through the web process's signed
 * `/handoff/resolve`; the user waits for the `handoff.back` notice and goes on as before.
 *
 * Protocol (kept simple so that it is exact): resolve only once the helpdesk holds every message
 * the user wrote since `/human`, and the user writes nothing between the resolve and the notice.
 */
import { translatorFor } from '../src/i18n/translator';
import { HELPDESK_SECRET, signHelpdesk } from '../test/helpers/fake-helpdesk';
import { FakeHttpServer, type RecordedRequest } from '../test/helpers/http-fake';

const en = translatorFor('en');
const NOTICE = en('handoff.requested.anytime');
const BACK = en('handoff.back');
const WAIT_MS = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a user's loop lends the handoff: writing message `n` (with `text`, else its id) through Meta. */
export interface SoakWriter {
  userId: string;
  /** posts message n until accepted (with Meta's random redeliveries) and returns its id */
  send: (n: number, text?: string) => Promise<string>;
  /** counts an id among the messages that expect an answer from the assistant */
  accept: (id: string) => void;
}

export class SoakHandoffs {
  readonly helpdesk = new FakeHttpServer((request) => this.received(request));
  handoffs = 0;
  returns = 0;
  resolveRefused = 0;
  resolveNotReturned = 0;
  backNotices = 0;
  unsignedEvents = 0;
  helpdeskReposts = 0;
  handoffRequestsReceived = 0;
  /** ids written while the conversation was with a person: each must reach the helpdesk */
  readonly expected = new Set<string>();
  private readonly deliveries = new Set<string>();
  private readonly forwardCount = new Map<string, number>();
  /** user → sequence numbers of forwarded messages, in the order the helpdesk received them */
  private readonly forwardOrder = new Map<string, number[]>();
  private readonly conversationOf = new Map<string, string>();
  private readonly humanIdOf = new Map<string, string>();
  private readonly backCount = new Map<string, number>();

  constructor(private readonly share: number) {}

  env(): Record<string, string> {
    return {
      HANDOFF_TARGET: 'webhook',
      HANDOFF_WEBHOOK_URL: `${this.helpdesk.url}/threadline`,
      HANDOFF_WEBHOOK_SECRET: HELPDESK_SECRET,
    };
  }

  /** Whether this user hands off once, and at which of its messages. */
  pickMessage(): number | undefined {
    return Math.random() < this.share ? 2 + Math.floor(Math.random() * 4) : undefined;
  }

  /**
   * A Graph text to `to` that carries no soak id: the handoff notice answers the user's `/human`
   * (its id is returned), the `handoff.back` notice answers nothing (counted apart).
   */
  answerTo(to: string, text: string): string | undefined {
    if (text === NOTICE) return this.humanIdOf.get(to);
    if (text === BACK) {
      this.backNotices += 1;
      this.backCount.set(to, (this.backCount.get(to) ?? 0) + 1);
    }
    return undefined;
  }

  private received(request: RecordedRequest) {
    const raw = request.rawBody.toString('utf8');
    if (request.headers['x-threadline-signature'] !== signHelpdesk(raw)) this.unsignedEvents += 1;
    const delivery = String(request.headers['x-threadline-delivery'] ?? '');
    if (delivery && this.deliveries.has(delivery)) {
      this.helpdeskReposts += 1;
      return { status: 200, body: { ok: true } };
    }
    if (delivery) this.deliveries.add(delivery);
    const body = (request.body ?? {}) as { event?: string; conversation?: string; text?: string };
    if (body.event === 'handoff.requested') this.handoffRequestsReceived += 1;
    const match = body.event === 'message' ? /soak-(\S+)-(\d+)/.exec(String(body.text)) : null;
    if (match) {
      const id = `soak-${match[1]}-${match[2]}`;
      this.forwardCount.set(id, (this.forwardCount.get(id) ?? 0) + 1);
      this.forwardOrder.set(match[1]!, [...(this.forwardOrder.get(match[1]!) ?? []), Number(match[2])]);
      this.conversationOf.set(match[1]!, String(body.conversation));
    }
    return { status: 200, body: { ok: true } };
  }

  /** `/human` as message n, a few messages for the person, the resolve, the notice; returns the next n. */
  async run(writer: SoakWriter, n: number, baseUrl: string): Promise<number> {
    const { userId } = writer;
    this.humanIdOf.set(userId, `soak-${userId}-${n}`);
    writer.accept(await writer.send(n, '/human'));
    this.handoffs += 1;
    const count = 2 + Math.floor(Math.random() * 3);
    for (let i = 1; i <= count; i += 1) {
      await sleep(500 + Math.random() * 2500);
      this.expected.add(await writer.send(n + i));
    }
    const all = Array.from({ length: count }, (_, i) => `soak-${userId}-${n + 1 + i}`);
    if (!(await waitUntil(() => all.every((id) => this.forwardCount.has(id))))) return n + count + 1;
    await sleep(500 + Math.random() * 3000);
    await this.resolve(baseUrl, this.conversationOf.get(userId)!);
    await waitUntil(() => (this.backCount.get(userId) ?? 0) > 0);
    return n + count + 1;
  }

  /** The agent gives the conversation back, retried while the web process cannot answer. */
  private async resolve(baseUrl: string, conversation: string): Promise<void> {
    const body = JSON.stringify({ conversation });
    for (let attempt = 0; attempt < 30; attempt += 1) {
      const status = await fetch(`${baseUrl}/handoff/resolve`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-threadline-signature': signHelpdesk(body) },
        body,
        signal: AbortSignal.timeout(10_000),
      })
        .then(async (res) => ({ code: res.status, returned: ((await res.json()) as { returned?: boolean }).returned }))
        .catch(() => ({ code: 0, returned: false }));
      if (status.code === 200) {
        if (status.returned) this.returns += 1;
        else this.resolveNotReturned += 1;
        return;
      }
      this.resolveRefused += 1;
      await sleep(Math.min(3000, 250 * 2 ** attempt));
    }
  }

  /** Whether the helpdesk holds every forward still missing (the soak's drain waits on it). */
  outstanding(): number {
    return [...this.expected].filter((id) => !this.forwardCount.has(id)).length;
  }

  summary() {
    let outOfOrder = 0;
    for (const order of this.forwardOrder.values()) {
      for (let i = 1; i < order.length; i += 1) if (order[i]! < order[i - 1]!) outOfOrder += 1;
    }
    const users = new Set([...this.backCount.keys()]);
    return {
      handoffs: this.handoffs,
      returns: this.returns,
      forwardedToAgent: [...this.forwardCount.keys()].filter((id) => this.expected.has(id)).length,
      forwardDuplicates: [...this.forwardCount.values()].reduce((sum, c) => sum + Math.max(0, c - 1), 0),
      forwardLost: this.outstanding(),
      forwardOutOfOrder: outOfOrder,
      forwardsOfOtherMessages: [...this.forwardCount.keys()].filter((id) => !this.expected.has(id)).length,
      handoffRequestsReceived: this.handoffRequestsReceived,
      backNotices: this.backNotices,
      backNoticesDuplicated: this.backNotices - users.size,
      resolveRefused: this.resolveRefused,
      resolveNotReturned: this.resolveNotReturned,
      helpdeskReposts: this.helpdeskReposts,
      helpdeskUnsignedEvents: this.unsignedEvents,
    };
  }
}

async function waitUntil(predicate: () => boolean): Promise<boolean> {
  const deadline = Date.now() + WAIT_MS;
  while (!predicate()) {
    if (Date.now() > deadline) return false;
    await sleep(250);
  }
  return true;
}
