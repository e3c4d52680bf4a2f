import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions';
import { z } from 'zod';

/**
 * The `hand_off` tool: the model asks for a person from the team to take the conversation over.
 * Offered only where a handoff target is configured. The model's reason goes to the agent, never
 * to the person: the person is told what happens next in the catalogue's words.
 */
export const HAND_OFF = 'hand_off';

const MAX_REASON_LENGTH = 300;

export const handOffTool: ChatCompletionFunctionTool = {
  type: 'function',
  function: {
    name: HAND_OFF,
    description:
      'Hand this conversation to a person from the team. Use it when the person asks for a human, is clearly frustrated, ' +
      'has a complaint, wants a refund or raises a legal matter, or when the business documents do not answer their question. ' +
      'After calling it, write nothing more: the person is told what happens next.',
    parameters: {
      type: 'object',
      properties: {
        reason: { type: 'string', description: 'why a person should take over, in a few words, for the agent' },
      },
      required: ['reason'],
      additionalProperties: false,
    },
  },
};

export const handOffPrompt =
  'If the person asks for a human, is clearly frustrated, has a complaint, asks for a refund or raises a legal matter, ' +
  'call hand_off with the reason instead of answering.';

const argumentsSchema = z.object({ reason: z.string().trim().min(1) });

/** The reason from the model's arguments (cut to a bounded length), or null when they are not valid. */
export function handOffReason(argumentsJson: string): string | null {
  try {
    const parsed = argumentsSchema.safeParse(JSON.parse(argumentsJson || '{}'));
    return parsed.success ? parsed.data.reason.slice(0, MAX_REASON_LENGTH) : null;
  } catch {
    return null;
  }
}
