import { z } from 'zod';

/**
 * The shapes of the ids Meta puts in webhooks, checked where a delivery is read, because these ids
 * go on into Graph URLs and request bodies. `encodeURIComponent` leaves `.` and `..` alone, so an
 * id of `..` would move a Graph path (a media lookup of `..` is `GET /` with the bearer token).
 * Anything not of the documented shape is refused (NOTES.md here, "Ids").
 */

/** phone_number_id, Page id, Instagram account id, PSID, IGSID, media id, wa_id: decimal digits */
export const numericId = z.string().regex(/^\d{1,32}$/, { error: 'not a numeric Meta id' });

/**
 * WhatsApp business-scoped user id (usernames, 2026): a country code, a dot and alphanumerics,
 * e.g. `US.13491208655302741918`, at most 256 characters in all.
 */
export const businessScopedUserId = z
  .string()
  .max(256)
  .regex(/^[A-Za-z]{1,16}\.[A-Za-z0-9]{1,239}$/, { error: 'not a business-scoped user id' });

export const isNumericId = (value: string): boolean => numericId.safeParse(value).success;
export const isBusinessScopedUserId = (value: string): boolean => businessScopedUserId.safeParse(value).success;

/**
 * Whether `value` can stand as one segment of a Graph path: not empty, not `.` or `..`, and no
 * character that could end the segment or the path (slashes, `?`, `#`, `%`, whitespace, controls).
 * The last line of defence where ids are put into paths, whatever the webhook reader let through.
 */
export function isGraphPathSegment(value: string): boolean {
  return value !== '.' && value !== '..' && /^[A-Za-z0-9._=-]{1,256}$/.test(value);
}
