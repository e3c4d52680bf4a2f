import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readBody } from '../src/http/read-body';
import { readImageSize } from '../src/media/image-header';
import { sniffMedia } from '../src/media/sniff';
import { DEMO_LABEL, demoShoppingReply, type DemoMessage } from './demo-shopping';
import { demoKnowledgeReply } from './demo-knowledge';

/**
 * The offline demo responder: an OpenAI-compatible `/chat/completions` and `/audio/transcriptions`
 * on loopback, used only when no real model is reachable. It is not a model and says so in every
 * answer; what it answers is what Threadline's pipeline handed it (the text, the history length,
 * the photo's size), so a developer sees the pipeline work end to end before plugging a model in.
 * Offered the shopping tools, it calls them and answers from their results (demo-shopping.ts);
 * asked about the shop's policies with `search_knowledge` offered, it searches the help centre
 * and says which passages it was given (demo-knowledge.ts).
 */

export const DEMO_MODEL_NAME = 'threadline-offline-demo';

const HOW_TO = 'Real answers: start Ollama, or set LLM_BASE_URL and LLM_MODEL_FAST, and restart the sandbox.';

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

export function demoAnswer(messages: Array<{ role?: string; content?: unknown }>): string {
  const users = messages.filter((m) => m.role === 'user');
  const last = users[users.length - 1];
  const parts: ContentPart[] =
    typeof last?.content === 'string'
      ? [{ type: 'text', text: last.content }]
      : Array.isArray(last?.content)
        ? (last.content as ContentPart[])
        : [];
  const texts = parts.filter((p) => p.type === 'text' && p.text).map((p) => p.text ?? '');
  const images = parts
    .filter((p) => p.type === 'image_url')
    .map((p) => describeImage(typeof p.image_url === 'string' ? p.image_url : (p.image_url?.url ?? '')));
  const earlier = messages.filter((m) => m.role === 'user' || m.role === 'assistant').length - 1;
  const lines = [DEMO_LABEL];
  lines.push(texts.length > 0 ? `Threadline passed me: “${texts.join(' ').trim()}”` : 'Threadline passed me no text.');
  for (const image of images) lines.push(`It also passed ${image}.`);
  lines.push(`History sent along: ${Math.max(0, earlier)} earlier message${earlier === 1 ? '' : 's'}`);
  lines.push(...memoryLines(messages, texts.join(' ').trim()));
  lines.push(HOW_TO);
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

export async function startDemoResponder(): Promise<DemoResponder> {
  const server = http.createServer((req, res) => {
    const answer = (raw: Buffer) => {
      const path = (req.url ?? '').split('?')[0];
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'GET' && path === '/v1/models') {
        return json(200, {
          object: 'list',
          data: [{ id: DEMO_MODEL_NAME, object: 'model', owned_by: 'threadline-sandbox' }],
        });
      }
      if (req.method === 'POST' && path === '/v1/chat/completions') {
        let body: { model?: string; messages?: DemoMessage[]; tools?: unknown } = {};
        try {
          body = JSON.parse(raw.toString('utf8')) as typeof body;
        } catch {
          return json(400, { error: { message: 'invalid JSON', type: 'invalid_request_error' } });
        }
        const messages = body.messages ?? [];
        const shopping = demoKnowledgeReply(messages, body.tools) ?? demoShoppingReply(messages, body.tools);
        const message =
          shopping && 'toolCall' in shopping
            ? { role: 'assistant', content: null, tool_calls: [shopping.toolCall] }
            : { role: 'assistant', content: shopping?.content ?? demoAnswer(body.messages ?? []) };
        return json(200, {
          id: `chatcmpl-demo-${Date.now()}`,
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: DEMO_MODEL_NAME,
          choices: [{ index: 0, message, finish_reason: message.content === null ? 'tool_calls' : 'stop' }],
          usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
        });
      }
      if (req.method === 'POST' && path === '/v1/audio/transcriptions') {
        // Not a transcript: the page shows this text where a transcript would appear.
        return json(200, {
          text: `[speech-to-text not configured: the sandbox received about ${kb(raw.length)} of audio but has no speech model. Set STT_BASE_URL (and STT_API_KEY, STT_MODEL) to a Whisper-compatible server.]`,
        });
      }
      return json(404, { error: { message: `no route ${req.method} ${path}`, type: 'invalid_request_error' } });
    };
    const failed = () => {
      res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ error: { message: 'request body not received', type: 'invalid_request_error' } }));
    };
    void readBody(req, DEMO_BODY_LIMITS).then(answer, failed);
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
