import { pageText, whatsAppText } from './payloads';
import { replies } from './replies';
import type { TestSystem } from './system';

export type App = 'whatsapp' | 'messenger' | 'instagram';

/**
 * Sends `text` from `from` on `app` through the signed webhook and resolves with the first
 * reply the person receives to it (through the fake Send API).
 */
export async function say(system: TestSystem, app: App, from: string, text: string): Promise<string> {
  const before = replies(system.graph, from).length;
  const payload =
    app === 'whatsapp' ? whatsAppText(from, text) : pageText(app === 'messenger' ? 'page' : 'instagram', from, text);
  await system.deliver(app, payload);
  await system.graph.waitFor(() => replies(system.graph, from).length >= before + 1);
  return replies(system.graph, from)[before]!.text;
}

/** The first link code in a text (a /link offer): `XXXX-XXXX-XXXX`. */
export const codeIn = (text: string): string => /\b([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})\b/.exec(text)?.[1] ?? '';
