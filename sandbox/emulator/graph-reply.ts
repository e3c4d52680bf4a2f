/** What one emulated Graph call answers, and Graph's error shape and id style. */

export interface GraphReply {
  status: number;
  body?: unknown;
  bytes?: { data: Buffer; mimeType: string };
}

let counter = 0;
export const nextId = (prefix: string) =>
  `${prefix}${Date.now().toString(36)}${(counter += 1).toString(36).padStart(4, '0')}`;

export function graphError(
  status: number,
  code: number,
  message: string,
  extra: Record<string, unknown> = {},
): GraphReply {
  return {
    status,
    body: {
      error: { message: `(#${code}) ${message}`, type: 'OAuthException', code, fbtrace_id: nextId('Asbx'), ...extra },
    },
  };
}
