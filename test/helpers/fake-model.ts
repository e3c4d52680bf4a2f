import { FakeHttpServer, type RecordedRequest } from './http-fake';

export interface ChatBody {
  model?: string;
  messages?: Array<{ role: string; content: unknown; tool_call_id?: string; tool_calls?: unknown[] }>;
  tools?: Array<{ function?: { name?: string } }>;
}

/** What a tool-using fake does next: call tools (name and arguments), or answer in text. */
export type ToolMove = { toolCalls: Array<{ name: string; arguments: Record<string, unknown> }> } | { text: string };

export interface FakeModelOptions {
  /** called when the request offers tools; unset: tools are ignored and `answer` answers */
  tools?: (body: ChatBody) => ToolMove;
  /** answer 400 to any request that offers tools, as servers without tool support do */
  rejectTools?: boolean;
  /**
   * a Gemma-style strict chat template: 400 when a system message is not first or the roles
   * after it do not alternate user/assistant starting with user (docs/backends.md)
   */
  strictTemplate?: boolean;
}

/**
 * An OpenAI-compatible chat-completions server. By default it answers
 * `echo: <last user message> (history: N)`, where N counts earlier messages it was given, so
 * tests can see both what reached the model and that history was included.
 */
export class FakeModel extends FakeHttpServer {
  constructor(
    answer: (body: ChatBody) => string = FakeModel.echo,
    private readonly options: FakeModelOptions = {},
  ) {
    super((request) => {
      if (request.method === 'POST' && request.path.endsWith('/audio/transcriptions')) {
        const form = parseMultipart(request);
        return { status: 200, body: { text: this.transcript(form) } };
      }
      if (request.method !== 'POST' || !request.path.endsWith('/chat/completions')) {
        return { status: 404, body: { error: { message: 'not found' } } };
      }
      const body = (request.body ?? {}) as ChatBody;
      const refusal = this.options.strictTemplate ? FakeModel.templateRefusal(body) : undefined;
      if (refusal) return { status: 400, body: { error: { message: refusal, type: 'invalid_request_error' } } };
      if (body.tools?.length && this.options.rejectTools) {
        return {
          status: 400,
          body: { error: { message: 'this model does not support tools', type: 'invalid_request' } },
        };
      }
      if (body.tools?.length && this.options.tools) {
        return { status: 200, body: FakeModel.toolCompletion(body.model ?? 'fake', this.options.tools(body)) };
      }
      return { status: 200, body: FakeModel.completion(body.model ?? 'fake', answer(body)) };
    });
  }

  /** Why Gemma's template would refuse these messages (its own exception texts), or undefined. */
  static templateRefusal(body: ChatBody): string | undefined {
    const roles = (body.messages ?? []).map((m) => m.role);
    const turns = roles[0] === 'system' ? roles.slice(1) : roles;
    if (turns.includes('system')) return 'System role not supported';
    const alternating = turns.every((role, i) => role === (i % 2 === 0 ? 'user' : 'assistant'));
    return alternating ? undefined : 'Conversation roles must alternate user/assistant/user/assistant/...';
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

  /** A completion that calls tools (OpenAI's `tool_calls`) or answers in text. */
  static toolCompletion(model: string, move: ToolMove) {
    if ('text' in move) return FakeModel.completion(model, move.text);
    const completion = FakeModel.completion(model, '');
    const tool_calls = move.toolCalls.map((call, i) => ({
      id: `call_${i}_${Math.random().toString(36).slice(2, 8)}`,
      type: 'function',
      function: { name: call.name, arguments: JSON.stringify(call.arguments) },
    }));
    completion.choices = [
      { index: 0, message: { role: 'assistant', content: null, tool_calls } as never, finish_reason: 'tool_calls' },
    ];
    return completion;
  }

  /** The results of the last tool call the request carries back (a search's `results`, or one product). */
  static lastToolResults(body: ChatBody): Array<{ id: string; title: string; price: string }> {
    const last = [...(body.messages ?? [])].reverse().find((m) => m.role === 'tool');
    if (!last || typeof last.content !== 'string') return [];
    const parsed = JSON.parse(last.content) as { results?: unknown[]; id?: string };
    return (parsed.results ?? (parsed.id ? [parsed] : [])) as Array<{ id: string; title: string; price: string }>;
  }

  /**
   * A shop assistant as a tool-using model behaves: it searches once with `searchFor(the person's
   * words)`, then recommends the first `recommend` results by exact title and price.
   */
  static shopper(searchFor: (userText: string) => Record<string, unknown>, recommend = 2) {
    return (body: ChatBody): ToolMove => {
      const messages = body.messages ?? [];
      if (!messages.some((m) => m.role === 'tool')) {
        const user = [...messages].reverse().find((m) => m.role === 'user');
        return { toolCalls: [{ name: 'search_products', arguments: searchFor(FakeModel.describe(user?.content)) }] };
      }
      const picks = FakeModel.lastToolResults(body).slice(0, recommend);
      if (picks.length === 0) return { text: 'I found nothing in the shop for that.' };
      return { text: `You could like ${picks.map((p) => `${p.title} at ${p.price}`).join(' and ')}.` };
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
