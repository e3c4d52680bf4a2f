import { createHash } from 'node:crypto';
import { asSendBody } from './send-body';
import { parseMultipart, type MultipartForm } from './fake-model';
import { FakeHttpServer, type RecordedRequest } from './http-fake';

/**
 * Meta's Graph API as the Send API documents it: WhatsApp `POST /{v}/{phone_number_id}/messages`
 * answers with `messages[0].id`; Messenger and Instagram `POST /{v}/me/messages` answer with
 * `recipient_id` and `message_id`. Error bodies follow Graph's `{ error: { code, ... } }` envelope.
 * Files: WhatsApp `POST /{v}/{phone_number_id}/media` (multipart `messaging_product`, `type`,
 * `file`) answers `{ id }`, which a `document` message then names; Messenger takes a file with
 * the message itself, as form data (`recipient`, `message`, `filedata`) on `/me/messages`.
 * Messenger's User Profile API: `GET /{v}/{PSID}?fields=locale` answers the profile set with
 * `setProfile` (with the Page token); anyone else gets Graph's "no profile" error.
 */
export class FakeGraph extends FakeHttpServer {
  private counter = 0;
  /** media this fake serves: WhatsApp media ids (looked up, then downloaded with the bearer) and CDN files */
  private readonly media = new Map<string, { bytes: Buffer; mimeType: string }>();
  /** the bearer token WhatsApp media downloads must carry */
  mediaToken = 'wa-token';

  constructor() {
    super((request) => {
      this.counter += 1;
      const body = request.body as Record<string, unknown> | undefined;
      const profile = this.serveProfile(request);
      if (profile) return profile;
      const served = this.serveMedia(request);
      if (served) return served;
      const uploaded = this.acceptUpload(request);
      if (uploaded) return uploaded;
      const control = this.threadControl(request);
      if (control) return control;
      if (request.method === 'POST' && /^\/v[\d.]+\/me\/messages$/.test(request.path)) {
        const form = isMultipart(request) ? parseMultipart(request) : undefined;
        const recipient = form
          ? (JSON.parse(form.fields.recipient ?? '{}') as { id?: string }).id
          : (body?.recipient as { id?: string } | undefined)?.id;
        return { status: 200, body: { recipient_id: recipient, message_id: `m_sent_${this.counter}` } };
      }
      if (request.method === 'POST' && /^\/v[\d.]+\/[^/]+\/messages$/.test(request.path)) {
        if (body?.status === 'read') return { status: 200, body: { success: true } };
        return {
          status: 200,
          body: {
            messaging_product: 'whatsapp',
            contacts: [{ input: body?.to, wa_id: body?.to }],
            messages: [{ id: `wamid.sent.${this.counter}` }],
          },
        };
      }
      return { status: 404, body: { error: { message: 'Unknown path', code: 803 } } };
    });
  }

  /**
   * Conversation Routing's thread control (`POST /{v}/{PAGE-ID|me}/{pass,take,release}_thread_control`
   * with `recipient.id`) answers `{ success: true }`, as Meta documents; without a recipient, the
   * documented (#100) error.
   */
  private threadControl(request: RecordedRequest) {
    if (request.method !== 'POST' || !/^\/v[\d.]+\/[^/]+\/(pass|take|release)_thread_control$/.test(request.path)) {
      return undefined;
    }
    const recipient = (request.body as { recipient?: { id?: unknown } } | undefined)?.recipient?.id;
    if (typeof recipient !== 'string') {
      return { status: 400, body: { error: { message: '(#100) Invalid parameter', code: 100 } } };
    }
    return { status: 200, body: { success: true } };
  }

  /** Thread control calls made, in order: which call, to whom, and its parameters. */
  threadControlCalls(): Array<{ call: string; recipient: string; body: Record<string, unknown> }> {
    return this.requests.flatMap((request) => {
      const call = /\/(pass|take|release)_thread_control$/.exec(request.path)?.[1];
      const body = request.body as { recipient?: { id?: string } } & Record<string, unknown>;
      return call ? [{ call, recipient: String(body?.recipient?.id), body }] : [];
    });
  }

  /** Messenger people's public profiles, by PSID. */
  private readonly profiles = new Map<string, { locale?: string }>();
  /** the Page token profile lookups must carry */
  pageToken = 'page-token';

  setProfile(userId: string, profile: { locale?: string }): void {
    this.profiles.set(userId, profile);
  }

  /** Profile lookups made (`GET /{v}/{PSID}?fields=…`). */
  profileLookups(): RecordedRequest[] {
    return this.requests.filter((r) => r.method === 'GET' && r.query.startsWith('fields='));
  }

  private serveProfile(request: RecordedRequest) {
    if (request.method !== 'GET' || !request.query.startsWith('fields=')) return undefined;
    const id = decodeURIComponent(/^\/v[\d.]+\/([^/]+)$/.exec(request.path)?.[1] ?? '');
    const profile = this.profiles.get(id);
    if (!profile || request.headers.authorization !== `Bearer ${this.pageToken}`) {
      return { status: 400, body: { error: { message: 'No profile available for this user.', code: 2018218 } } };
    }
    return { status: 200, body: { id, ...profile } };
  }

  /** Send API calls that would have shown a person the model's reasoning tags (none may, in any test). */
  reasoningLeaks(): RecordedRequest[] {
    return this.requests.filter((request) => /<\/?(think|thinking|thought)>/i.test(request.rawBody.toString('utf8')));
  }

  /** WhatsApp media uploaded (by media id), as the multipart form arrived. */
  readonly uploads = new Map<string, MultipartForm>();

  private acceptUpload(request: RecordedRequest) {
    if (request.method !== 'POST' || !/^\/v[\d.]+\/[^/]+\/media$/.test(request.path)) return undefined;
    const form = parseMultipart(request);
    if (form.fields.messaging_product !== 'whatsapp' || !form.files.file || !form.fields.type) {
      return { status: 400, body: { error: { message: '(#100) Param file and type are required', code: 100 } } };
    }
    const id = `media-upload-${this.counter}`;
    this.uploads.set(id, form);
    return { status: 200, body: { id } };
  }

  /** Files sent: WhatsApp documents (with the upload they name) and Messenger file attachments. */
  sentFiles(): Array<{ to: string; filename: string; bytes: Buffer; request: RecordedRequest }> {
    const files = [];
    for (const request of this.requests) {
      const body = request.body as { type?: string; to?: string; document?: { id?: string; filename?: string } };
      if (body?.type === 'document' && body.document?.id) {
        const upload = this.uploads.get(body.document.id)?.files.file;
        if (upload)
          files.push({ to: String(body.to), filename: String(body.document.filename), bytes: upload.bytes, request });
      } else if (isMultipart(request) && request.path.endsWith('/me/messages')) {
        const form = parseMultipart(request);
        const file = form.files.filedata;
        const to = (JSON.parse(form.fields.recipient ?? '{}') as { id?: string }).id;
        if (file) files.push({ to: String(to), filename: file.fileName, bytes: file.bytes, request });
      }
    }
    return files;
  }

  /** Text messages sent (not read receipts or typing), in the order they arrived. */
  sentTexts(): Array<{ platform: 'whatsapp' | 'page'; to: string; text: string; request: RecordedRequest }> {
    const texts = [];
    for (const request of this.requests) {
      const body = asSendBody(request.body);
      if (request.method !== 'POST' || !body) continue;
      if (body.type === 'text' && typeof body.text?.body === 'string') {
        texts.push({ platform: 'whatsapp' as const, to: String(body.to), text: body.text.body, request });
      } else if (typeof body.message?.text === 'string') {
        texts.push({
          platform: 'page' as const,
          to: String(body.recipient?.id),
          text: body.message.text,
          request,
        });
      }
    }
    return texts;
  }

  /**
   * Adds a file. WhatsApp: `GET /{v}/{id}` answers `{ url, mime_type, sha256, file_size, id }`, a
   * fresh URL on each lookup (like Meta's 5-minute URLs); the URL needs the bearer token. Messenger
   * and Instagram: `cdnUrl(id)` is the attachment's `payload.url`, no token.
   */
  addMedia(id: string, bytes: Buffer, mimeType: string): void {
    this.media.set(id, { bytes, mimeType });
  }

  cdnUrl(id: string): string {
    return `${this.url}/cdn/${encodeURIComponent(id)}`;
  }

  /** Requests that downloaded (or tried to download) media bytes. */
  mediaDownloads(): RecordedRequest[] {
    return this.requests.filter((r) => r.path.startsWith('/whatsapp-media/') || r.path.startsWith('/cdn/'));
  }

  private serveMedia(request: RecordedRequest) {
    if (request.method !== 'GET') return undefined;
    const lookup = /^\/v[\d.]+\/([^/]+)$/.exec(request.path);
    if (lookup) {
      const id = decodeURIComponent(lookup[1]!);
      const file = this.media.get(id);
      if (request.headers.authorization !== `Bearer ${this.mediaToken}`) return FakeGraph.graphError(190, 401);
      if (!file) return FakeGraph.graphError(100, 400);
      return {
        status: 200,
        body: {
          messaging_product: 'whatsapp',
          url: `${this.url}/whatsapp-media/${encodeURIComponent(id)}?fresh=${this.counter}`,
          mime_type: file.mimeType,
          sha256: createHash('sha256').update(file.bytes).digest('hex'),
          file_size: String(file.bytes.length),
          id,
        },
      };
    }
    const download = /^\/(whatsapp-media|cdn)\/([^/]+)$/.exec(request.path);
    if (!download) return undefined;
    const file = this.media.get(decodeURIComponent(download[2]!));
    if (download[1] === 'whatsapp-media' && request.headers.authorization !== `Bearer ${this.mediaToken}`) {
      return { status: 401, body: { error: { message: 'token required', code: 190 } } };
    }
    if (!file) return { status: 404, body: { error: { message: 'no such media', code: 100 } } };
    return { status: 200, rawBody: file.bytes, headers: { 'content-type': file.mimeType } };
  }

  static graphError(code: number, status = 400, extra: Record<string, unknown> = {}) {
    return {
      status,
      body: {
        error: { message: `(#${code}) scripted failure`, type: 'OAuthException', code, fbtrace_id: 'Afake', ...extra },
      },
    };
  }
}

function isMultipart(request: RecordedRequest): boolean {
  return String(request.headers['content-type']).startsWith('multipart/form-data');
}
