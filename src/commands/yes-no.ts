import type { InboundMessage } from '../core/inbound';
import type { ReplyChoice } from '../core/reply-choice';

/**
 * Answers to a yes/no question the bot asked: a tapped choice (its payload is `/yes` or `/no`) or a
 * short typed answer. Only whole short answers count, so "yes but what about Tuesday?" is a new
 * question for the model, not a confirmation.
 */
export type YesNo = 'yes' | 'no';

export const YES_NO_CHOICES: ReplyChoice[] = [
  { id: '/yes', title: 'Yes' },
  { id: '/no', title: 'No' },
];

const TYPED: Record<string, YesNo> = {
  yes: 'yes',
  y: 'yes',
  yeah: 'yes',
  yep: 'yes',
  sure: 'yes',
  ok: 'yes',
  okay: 'yes',
  'yes please': 'yes',
  no: 'no',
  n: 'no',
  nope: 'no',
  'no thanks': 'no',
  'no thank you': 'no',
};

export function yesNoIn(message: Pick<InboundMessage, 'text' | 'payload'>): YesNo | null {
  if (message.payload === '/yes') return 'yes';
  if (message.payload === '/no') return 'no';
  const typed = message.text
    ?.trim()
    .toLowerCase()
    .replace(/[.!,\s]+$/, '')
    .replace(/^\//, '');
  return (typed && TYPED[typed]) || null;
}
