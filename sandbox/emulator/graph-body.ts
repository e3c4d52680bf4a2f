import type http from 'node:http';

/**
 * A Graph request's body as the emulator's handlers take it: JSON for the Send API's usual calls,
 * and multipart form data for uploads (WhatsApp's `/media`, Messenger's `filedata`), its fields as
 * text and its files read whole. Anything else is undefined, which the handlers refuse as Graph does.
 */

export interface UploadedFile {
  bytes: Buffer;
  /** the part's own content type ("" when the client gave none) */
  mimeType: string;
  filename: string;
}

export interface MultipartBody {
  multipart: true;
  fields: Record<string, string>;
  files: Record<string, UploadedFile>;
}

export function isMultipart(body: unknown): body is MultipartBody {
  return typeof body === 'object' && body !== null && (body as { multipart?: unknown }).multipart === true;
}

/** Uses the platform's own form-data parser (the fetch Response), not one written here. */
async function readForm(raw: Buffer, contentType: string): Promise<MultipartBody | undefined> {
  let form: FormData;
  try {
    form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  } catch {
    return undefined;
  }
  const body: MultipartBody = { multipart: true, fields: {}, files: {} };
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') body.fields[name] = value;
    else
      body.files[name] = { bytes: Buffer.from(await value.arrayBuffer()), mimeType: value.type, filename: value.name };
  }
  return body;
}

export async function readGraphBody(req: http.IncomingMessage, raw: Buffer): Promise<unknown> {
  const contentType = req.headers['content-type'] ?? '';
  if (/^multipart\/form-data\s*;/i.test(contentType)) return readForm(raw, contentType);
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
}
