import { FakeHttpServer, type RecordedRequest } from './http-fake';

interface ChatBody {
  model?: string;
  messages?: Array<{ role: string; content: unknown }>;
}

/**
 * An OpenAI-compatible chat-completions server. By default it answers
 * `echo: <last user message> (history: N)`, where N counts earlier messages it was given, so
 * tests can see both what reached the model and that history was included.
 */
export class FakeModel extends FakeHttpServer {
  constructor(answer: (body: ChatBody) => string = FakeModel.echo) {
    super((request) => {
      if (request.method === 'POST' && request.path.endsWith('/audio/transcriptions')) {
        const form = parseMultipart(request);
        return { status: 200, body: { text: this.transcript(form) } };
      }
      if (request.method !== 'POST' || !request.path.endsWith('/chat/completions')) {
        return { status: 404, body: { error: { message: 'not found' } } };
      }
      const body = (request.body ?? {}) as ChatBody;
      return { status: 200, body: FakeModel.completion(body.model ?? 'fake', answer(body)) };
    });
  }

  /** What the speech-to-text route answers (`POST .../audio/transcriptions`); tests may replace it. */
  transcript: (form: MultipartForm) => string = () => 'what is the weather tomorrow';

  static readonly echo = (body: ChatBody): string => {
    const messages = body.messages ?? [];
    const last = [...messages].reverse().find((m) => m.role === 'user');
    const earlier = messages.filter((m) => m.role !== 'system').length - 1;
    return `echo: ${FakeModel.describe(last?.content)} (history: ${earlier})`;
  };

  /** A string as is; content parts as their text plus `[+N image]` (photos as image_url parts). */
  static describe(content: unknown): string {
    if (typeof content === 'string') return content;
    if (!Array.isArray(content)) return '[non-text]';
    const parts = content as Array<{ type?: string; text?: string }>;
    const text = parts
      .filter((p) => p.type === 'text')
      .map((p) => p.text)
      .join(' ');
    const images = parts.filter((p) => p.type === 'image_url').length;
    return `${text} [+${images} image]`;
  }

  /** Speech-to-text requests received, multipart parsed. */
  transcriptionRequests(): MultipartForm[] {
    return this.requests.filter((r) => r.path.endsWith('/audio/transcriptions')).map(parseMultipart);
  }

  static completion(model: string, text: string) {
    return {
      id: `chatcmpl-${Math.random().toString(36).slice(2)}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    };
  }

  chatRequests(): ChatBody[] {
    return this.requests.filter((r) => r.path.endsWith('/chat/completions')).map((r) => r.body as ChatBody);
  }
}

export interface MultipartForm {
  fields: Record<string, string>;
  files: Record<string, { fileName: string; contentType: string | undefined; bytes: Buffer }>;
}

/** A small multipart/form-data reader: enough to check what a client uploaded. */
export function parseMultipart(request: RecordedRequest): MultipartForm {
  const form: MultipartForm = { fields: {}, files: {} };
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(String(request.headers['content-type']));
  if (!boundary) return form;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const body = request.rawBody;
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const next = body.indexOf(delimiter, start + delimiter.length);
    if (next < 0) break;
    const part = body.subarray(start + delimiter.length + 2, next - 2); // skip CRLF after delimiter and before next
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      const content = part.subarray(headerEnd + 4);
      const name = /name="([^"]*)"/.exec(headers)?.[1];
      const fileName = /filename="([^"]*)"/.exec(headers)?.[1];
      const contentType = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1];
      if (name !== undefined && fileName !== undefined)
        form.files[name] = { fileName, contentType, bytes: Buffer.from(content) };
      else if (name !== undefined) form.fields[name] = content.toString('utf8');
    }
    start = next;
  }
  return form;
}
