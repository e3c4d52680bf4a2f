import type { InboundMessage } from '../core/inbound';
import type { ReplyChoice } from '../core/reply-choice';
import type { Mode } from '../modes/modes';

/**
 * Commands are plain text any platform can carry (`/think`), case-insensitive, answered without
 * the model. The quick replies and reply buttons that offer the modes use the command itself as
 * their payload, so a tap and a typed command are the same thing.
 */
export type Command =
  | { kind: 'mode'; mode: Mode }
  | { kind: 'help' }
  | { kind: 'reset' }
  | { kind: 'limits' }
  | { kind: 'unknown'; text: string };

const COMMANDS: Record<string, Command> = {
  '/fast': { kind: 'mode', mode: 'fast' },
  '/think': { kind: 'mode', mode: 'thinking' },
  '/thinking': { kind: 'mode', mode: 'thinking' },
  '/contemplate': { kind: 'mode', mode: 'contemplating' },
  '/contemplating': { kind: 'mode', mode: 'contemplating' },
  '/help': { kind: 'help' },
  '/start': { kind: 'help' },
  '/reset': { kind: 'reset' },
  '/limits': { kind: 'limits' },
  '/limit': { kind: 'limits' },
};

/** A single `/word` (optionally with trailing punctuation): anything longer is a normal message. */
const COMMAND_SHAPE = /^\/[a-z]+[.!]?$/;

function commandIn(text: string | undefined): Command | null {
  const candidate = text?.trim().toLowerCase();
  if (!candidate || !COMMAND_SHAPE.test(candidate)) return null;
  const word = candidate.replace(/[.!]$/, '');
  return COMMANDS[word] ?? { kind: 'unknown', text: word };
}

/** The command in a message: a tapped choice's payload first, then the typed text. */
export function parseCommand(message: Pick<InboundMessage, 'text' | 'payload'>): Command | null {
  const fromPayload = commandIn(message.payload);
  if (fromPayload && fromPayload.kind !== 'unknown') return fromPayload;
  return commandIn(message.text);
}

/** The modes as tappable choices; titles fit WhatsApp's and Messenger's 20 characters. */
export const MODE_CHOICES: ReplyChoice[] = [
  { id: '/fast', title: 'Fast' },
  { id: '/think', title: 'Think' },
  { id: '/contemplate', title: 'Contemplate' },
];
