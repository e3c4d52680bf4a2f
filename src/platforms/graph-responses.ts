import { z } from 'zod';

/**
 * Every Graph API answer the adapters read, one schema per shape, each as Meta documents it (the
 * notes beside each adapter: whatsapp/NOTES.md, pages/NOTES.md, NOTES.md here). Loose objects:
 * Meta adds fields without notice. An answer that does not match is treated like one without
 * the field the caller needs: a send whose id cannot be read is still a send, with no id.
 */

/** Graph's error envelope: `{"error":{"message","type","code","error_subcode","fbtrace_id"}}`. */
export const graphErrorEnvelope = z.object({
  error: z.looseObject({
    message: z.string().optional(),
    code: z.coerce.number().optional(),
    error_subcode: z.coerce.number().optional(),
    fbtrace_id: z.string().optional(),
  }),
});

/** Messenger and Instagram Send API (`POST /me/messages`): `{"recipient_id","message_id"}`. */
export const pageSendResponse = z.looseObject({ message_id: z.string() });

/**
 * WhatsApp Cloud API send (`POST /{phone-number-id}/messages`):
 * `{"messaging_product":"whatsapp","contacts":[{"input","wa_id"}],"messages":[{"id":"wamid…"}]}`;
 * the first entry of `messages` is the message sent.
 */
export const whatsAppSendResponse = z.looseObject({
  messages: z.tuple([z.looseObject({ id: z.string() })]).rest(z.unknown()),
});

/** WhatsApp media upload (`POST /{phone-number-id}/media`): `{"id":"<MEDIA_ID>"}`. */
export const whatsAppUploadResponse = z.looseObject({ id: z.string() });

/**
 * WhatsApp media lookup (`GET /{media-id}`): `{"messaging_product","url","mime_type","sha256",
 * "file_size","id"}`; the URL lives 5 minutes.
 */
export const whatsAppMediaUrlResponse = z.looseObject({ url: z.string().min(1), mime_type: z.string().optional() });

/** Messenger User Profile API (`GET /{PSID}?fields=locale`): `{"locale":"es_LA","id":"<PSID>"}`. */
export const messengerLocaleResponse = z.looseObject({ locale: z.string().optional() });

/** Messenger Profile API (`POST /me/messenger_profile`): `{"result":"success"}`. */
export const messengerProfileResponse = z.looseObject({ result: z.literal('success') });

/** The id of a Messenger or Instagram send, or undefined when the answer carries none. */
export function pageMessageId(response: unknown): string | undefined {
  const parsed = pageSendResponse.safeParse(response);
  return parsed.success ? parsed.data.message_id : undefined;
}

/** The id (wamid) of a WhatsApp send, or undefined when the answer carries none. */
export function whatsAppMessageId(response: unknown): string | undefined {
  const parsed = whatsAppSendResponse.safeParse(response);
  return parsed.success ? parsed.data.messages[0].id : undefined;
}
