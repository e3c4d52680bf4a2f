import type { InboundMessage, SharedLocation } from '../core/inbound';

/**
 * A shared location as the model reads it: one line with the place's name, address, coordinates
 * and link, before whatever the person wrote with it. It joins the person's words, so the
 * knowledge search and the shopping tools see it too (a store list with addresses is found by
 * them), and the history keeps it like any message (sealed, with the history's lifetime).
 */
export function placeLine(location: SharedLocation): string {
  const quoted = (text: string) => `"${text.replace(/["\r\n]+/g, ' ').trim()}"`;
  const parts = [
    ...(location.name ? [`name ${quoted(location.name)}`] : []),
    ...(location.address ? [`address ${quoted(location.address)}`] : []),
    `coordinates ${location.latitude.toFixed(6)}, ${location.longitude.toFixed(6)}`,
    ...(location.url ? [location.url.replace(/\s+/g, '')] : []),
  ];
  return `[location shared: ${parts.join('; ')}]`;
}

/** The message with its shared location (if any) as the first line of its text. */
export function withPlace(message: InboundMessage): InboundMessage {
  if (!message.location) return message;
  const text = message.text?.trim();
  return { ...message, text: [placeLine(message.location), ...(text ? [text] : [])].join('\n') };
}

const SHARED_LINE = /^\[location shared: (.*)\]$/gm;
const COORDINATES = /(?:^|; )coordinates (-?\d+(?:\.\d+)?), (-?\d+(?:\.\d+)?)(?=;|$)/g;

/**
 * The coordinates of the last place a text (a turn the history kept) shared, read back from the
 * line placeLine wrote; undefined when it shared none. The coordinates are the last such part of
 * the line: a name or address before them cannot stand in for them, a link after them has no spaces.
 */
export function placeIn(text: string): { latitude: number; longitude: number } | undefined {
  const line = [...text.matchAll(SHARED_LINE)].pop()?.[1];
  const match = line === undefined ? undefined : [...line.matchAll(COORDINATES)].pop();
  if (!match) return undefined;
  const latitude = Number(match[1]);
  const longitude = Number(match[2]);
  return Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180 ? { latitude, longitude } : undefined;
}
