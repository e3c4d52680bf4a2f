import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../src/http/read-body';
import { readImageSize } from '../src/media/image-header';
import { sniffMedia } from '../src/media/sniff';
import { draftAngle, draftAnswer, readSynthesis, synthesisLines } from './demo-contemplate';
import { photoColour } from './demo-photo-colour';
import { DEMO_LABEL, DEMO_NO_SPEECH, demoShoppingReply, photoToSearchBy, type DemoMessage } from './demo-shopping';
import { demoKnowledgeReply } from './demo-knowledge';

/**
 * The offline demo responder: an OpenAI-compatible `/chat/completions` and `/audio/transcriptions`
 * on loopback, used only when no real model is reachable. It is not a model and its one label
 * says so; what it answers is what Threadline's pipeline handed it (the text, the history length,
 * the photo's size), so a developer sees the pipeline work end to end before plugging a model in.
 * How to plug one in is the page's banner, not a line in every answer. Offered the shopping
 * tools, it calls them and answers from their results (demo-shopping.ts); asked for
 * contemplating's drafts and their synthesis, it shows the drafts briefly (demo-contemplate.ts);
 * asked about the shop's policies with `search_knowledge` offered, it searches the help centre
 * and says which passages it was given (demo-knowledge.ts).
 */

export const DEMO_MODEL_NAME = 'threadline-offline-demo';

function kb(bytes: number): string {
  return bytes < 1024 ? `${bytes} bytes` : `${(bytes / 1024).toFixed(bytes < 10240 ? 1 : 0)} KB`;
}

/** Width × height from an image's header, when it is an image Threadline reads. */
export function imageDimensions(bytes: Buffer): { width: number; height: number } | undefined {
  const sniffed = sniffMedia(bytes);
  return sniffed?.kind === 'image' ? readImageSize(bytes, sniffed.format) : undefined;
}

interface ContentPart {
  type?: string;
  text?: string;
  image_url?: { url?: string } | string;
}

function describeImage(url: string): string {
  const match = /^data:([^;,]+)?(;base64)?,(.*)$/s.exec(url);
  if (!match) return 'a photo by URL';
  const bytes = Buffer.from(match[3] ?? '', match[2] ? 'base64' : 'utf8');
  const size = imageDimensions(bytes);
  return `a photo: ${match[1] ?? 'image'}, ${kb(bytes.length)}${size ? `, ${size.width}×${size.height} px` : ''}`;
}

function partsOf(message: { content?: unknown } | undefined): ContentPart[] {
  const content = message?.content;
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return Array.isArray(content) ? (content as ContentPart[]) : [];
}

export function demoAnswer(messages: Array<{ role?: string; content?: unknown }>): string {
  const angle = draftAngle(messages);
  if (angle !== undefined) return draftAnswer(angle);
  const users = messages.filter((m) => m.role === 'user');
  const parts = partsOf(users[users.length - 1]);
  const said = parts
    .filter((p) => p.type === 'text' && p.text)
    .map((p) => p.text ?? '')
    .join(' ')
    .trim();
  const images = parts
    .filter((p) => p.type === 'image_url')
    .map((p) => describeImage(typeof p.image_url === 'string' ? p.image_url : (p.image_url?.url ?? '')));
  const earlier = Math.max(0, messages.filter((m) => m.role === 'user' || m.role === 'assistant').length - 1);
  const history = `${earlier} earlier message${earlier === 1 ? '' : 's'}`;
  const synthesis = readSynthesis(said);
  const lines = synthesis
    ? [`${DEMO_LABEL} · ${history}`, ...synthesisLines(synthesis.question, synthesis.drafts)]
    : [`${DEMO_LABEL} · ${said ? `Threadline passed me: “${said}”` : 'Threadline passed me no text'} (${history})`];
  for (const image of images) lines.push(`It also passed ${image}.`);
  lines.push(...memoryLines(messages, synthesis?.question ?? said));
  return lines.join('\n');
}

/**
 * With memory on, Threadline sends a system message listing remembered facts and asking for
 * proposals as `[remember: ... | category]`. The demo says how many facts it was given, and
 * proposes "I'm ..." / "My ..." sentences word for word, so the sandbox shows the Yes/No offer.
 */
function memoryLines(messages: Array<{ role?: string; content?: unknown }>, said: string): string[] {
  const memory = messages.find((m) => m.role === 'system' && String(m.content).includes('[remember:'));
  if (!memory) return [];
  const facts = String(memory.content)
    .split('\n')
    .filter((line) => line.startsWith('- ')).length;
  const lines = [`Memory is on; remembered facts sent along: ${facts}`];
  if (/^(i'm|i am|my) /i.test(said) && said.length <= 200) lines.push(`[remember: ${said} | other]`);
  return lines;
}

export interface DemoResponder {
  /** OpenAI-compatible base, e.g. http://127.0.0.1:41234/v1 */
  baseUrl: string;
  stop(): Promise<void>;
}

/** Chat requests and voice notes as the worker sends them (audio up to its 25 MB download cap). */
const DEMO_BODY_LIMITS = { maxBytes: 32 * 1024 * 1024, timeoutMs: 60_000 };

interface DemoReply {
  status: number;
  body: unknown;
}

const invalid = (status: number, message: string): DemoReply => ({
  status,
  body: { error: { message, type: 'invalid_request_error' } },
});

/** One chat completion: a shopping tool call or answer, or the demo's own answer. */
async function chatCompletion(raw: Buffer): Promise<DemoReply> {
  let body: { model?: string; messages?: DemoMessage[]; tools?: unknown } = {};
  try {
    body = JSON.parse(raw.toString('utf8')) as typeof body;
  } catch {
    return invalid(400, 'invalid JSON');
  }
  const messages = body.messages ?? [];
  const photo = photoToSearchBy(messages, body.tools);
  const shopping =
    demoKnowledgeReply(messages, body.tools) ??
    demoShoppingReply(messages, body.tools, photo ? { photoColour: await photoColour(photo) } : {});
  const message =
    shopping && 'toolCall' in shopping
      ? { role: 'assistant', content: null, tool_calls: [shopping.toolCall] }
      : { role: 'assistant', content: shopping?.content ?? demoAnswer(messages) };
  return {
    status: 200,
    body: {
      id: `chatcmpl-demo-${Date.now()}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: DEMO_MODEL_NAME,
      choices: [{ index: 0, message, finish_reason: message.content === null ? 'tool_calls' : 'stop' }],
      usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
    },
  };
}

async function route(method: string | undefined, path: string | undefined, raw: Buffer): Promise<DemoReply> {
  if (method === 'GET' && path === '/v1/models') {
    return {
      status: 200,
      body: { object: 'list', data: [{ id: DEMO_MODEL_NAME, object: 'model', owned_by: 'threadline-sandbox' }] },
    };
  }
  if (method === 'POST' && path === '/v1/chat/completions') return chatCompletion(raw);
  if (method === 'POST' && path === '/v1/audio/transcriptions') {
    // Not a transcript: the page shows this text where a transcript would appear.
    const text = `${DEMO_NO_SPEECH}: the sandbox received about ${kb(raw.length)} of audio but has no speech model. Set STT_BASE_URL (and STT_API_KEY, STT_MODEL) to a Whisper-compatible server.]`;
    return { status: 200, body: { text } };
  }
  return invalid(404, `no route ${method} ${path}`);
}

export async function startDemoResponder(): Promise<DemoResponder> {
  const server = http.createServer((req, res) => {
    const send = (reply: DemoReply, close = false) => {
      res.writeHead(reply.status, { 'content-type': 'application/json', ...(close ? { connection: 'close' } : {}) });
      res.end(JSON.stringify(reply.body));
    };
    readBody(req, DEMO_BODY_LIMITS)
      .then(
        async (raw) => send(await route(req.method, (req.url ?? '').split('?')[0], raw)),
        () => send(invalid(413, 'request body not received'), true),
      )
      .catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
