import type { FakeGraph } from './fake-graph';
import { pageText, whatsAppText } from './payloads';
import { replies } from './replies';
import type { TestSystem } from './system';

export type App = 'whatsapp' | 'messenger' | 'instagram';

/**
 * When a person writes after reading the last reply they got (ms since the epoch): at least two
 * seconds after it reached them. A typed yes counts only when the platform stamped it after the
 * question was sent, and WhatsApp stamps whole seconds.
 */
export function afterLastReply(graph: FakeGraph, to: string): number {
  const last = replies(graph, to).at(-1);
  return Math.max(Date.now(), (last?.request.at ?? 0) + 2000);
}

/**
 * Sends `text` from `from` on `app` through the signed webhook, written after the last reply
 * (afterLastReply), and resolves with the first reply the person receives to it (through the
 * fake Send API).
 */
export async function say(system: TestSystem, app: App, from: string, text: string): Promise<string> {
  const before = replies(system.graph, from).length;
  const at = afterLastReply(system.graph, from);
  const payload =
    app === 'whatsapp'
      ? whatsAppText(from, text, { timestamp: Math.floor(at / 1000) })
      : pageText(app === 'messenger' ? 'page' : 'instagram', from, text, { timestamp: at });
  await system.deliver(app, payload);
  await system.graph.waitFor(() => replies(system.graph, from).length >= before + 1);
  return replies(system.graph, from)[before]!.text;
}

/** The first link code in a text (a /link offer): `XXXX-XXXX-XXXX`. */
export const codeIn = (text: string): string => /\b([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})\b/.exec(text)?.[1] ?? '';
