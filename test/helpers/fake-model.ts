import { FakeHttpServer } from './http-fake';

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
      if (request.method !== 'POST' || !request.path.endsWith('/chat/completions')) {
        return { status: 404, body: { error: { message: 'not found' } } };
      }
      const body = (request.body ?? {}) as ChatBody;
      return { status: 200, body: FakeModel.completion(body.model ?? 'fake', answer(body)) };
    });
  }

  static echo(body: ChatBody): string {
    const messages = body.messages ?? [];
    const last = [...messages].reverse().find((m) => m.role === 'user');
    const earlier = messages.filter((m) => m.role !== 'system').length - 1;
    return `echo: ${typeof last?.content === 'string' ? last.content : '[non-text]'} (history: ${earlier})`;
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
