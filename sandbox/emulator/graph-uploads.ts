import type { GraphApiContext } from './graph-api';
import { isMultipart, type UploadedFile } from './graph-body';
import { graphError, type GraphReply } from './graph-reply';
import { sandboxIds } from './ids';

/**
 * WhatsApp `POST /{v}/{phone-number-id}/media`: multipart form data with `messaging_product`
 * (`whatsapp`), `file` and `type` (the MIME type), answered with `{ "id": "<MEDIA_ID>" }`; a
 * `document`, `image`, ... message then names that id. Checked against the types and sizes
 * Meta's media page lists (doc/media.md of the WhatsApp docs): anything else is error 131053.
 */

const MB = 1024 * 1024;

/** Cloud API's supported media types and their size limits. */
const WHATSAPP_MEDIA_LIMITS: Record<string, number> = {
  'audio/aac': 16 * MB,
  'audio/amr': 16 * MB,
  'audio/mpeg': 16 * MB,
  'audio/mp4': 16 * MB,
  'audio/ogg': 16 * MB,
  'text/plain': 100 * MB,
  'application/pdf': 100 * MB,
  'application/vnd.ms-excel': 100 * MB,
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 100 * MB,
  'application/msword': 100 * MB,
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 100 * MB,
  'application/vnd.ms-powerpoint': 100 * MB,
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 100 * MB,
  'image/jpeg': 5 * MB,
  'image/png': 5 * MB,
  'image/webp': 500 * 1024,
  'video/3gpp': 16 * MB,
  'video/mp4': 16 * MB,
};

const uploadError = (details: string) =>
  graphError(400, 131053, 'Media upload error', { error_data: { messaging_product: 'whatsapp', details } });

/** The MIME type without parameters (`audio/ogg; codecs=opus` → `audio/ogg`). */
const baseType = (type: string) => type.split(';')[0]!.trim().toLowerCase();

function checkUpload(file: UploadedFile | undefined, declared: string | undefined): string | undefined {
  if (!file) return 'Param file is required';
  if (file.bytes.length === 0) return 'The uploaded file is empty';
  const type = baseType(declared ?? file.mimeType);
  const limit = WHATSAPP_MEDIA_LIMITS[type];
  if (limit === undefined) return `Unsupported media type ${type || '(none)'}`;
  if (file.bytes.length > limit) return `File of type ${type} is larger than ${limit / MB} MB`;
  return undefined;
}

export function createWhatsAppMediaUpload(ctx: Pick<GraphApiContext, 'tokens' | 'media' | 'log'>) {
  return function whatsAppMediaUpload(token: string | undefined, phoneNumberId: string, body: unknown): GraphReply {
    if (token !== ctx.tokens.whatsapp) return graphError(401, 190, 'Invalid OAuth access token');
    if (phoneNumberId !== sandboxIds.whatsapp.phoneNumberId)
      return graphError(400, 100, `Unsupported post request. Object with ID '${phoneNumberId}' does not exist.`);
    if (!isMultipart(body)) return uploadError('The upload must be multipart/form-data');
    if (body.fields.messaging_product !== 'whatsapp')
      return graphError(400, 100, 'The parameter messaging_product is required.');
    const file = body.files.file;
    const problem = checkUpload(file, body.fields.type);
    if (problem || !file) {
      ctx.log.log('whatsapp', 'graph', `media upload refused: ${problem}`);
      return uploadError(problem ?? 'Param file is required');
    }
    const media = ctx.media.put(file.bytes, baseType(body.fields.type ?? file.mimeType), file.filename);
    ctx.log.log(
      'whatsapp',
      'graph',
      `media upload ${file.filename} (${media.mimeType}, ${file.bytes.length} bytes) → ${media.id}`,
    );
    return { status: 200, body: { id: media.id } };
  };
}
