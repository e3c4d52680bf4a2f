import type { ProductMessage, TemplateRef } from '../adapter';

/**
 * A template message (Cloud API `type: template`): the approved template by name and language,
 * its body's positional parameters as text. Outside the customer service window only templates
 * can be sent (error 131047 otherwise). A parameter may not hold new lines, tabs or more than four
 * spaces in a row, so they are folded to single spaces.
 */
const MAX_PARAMETER_CHARS = 1024;

const parameterText = (text: string) =>
  text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim()
    .slice(0, MAX_PARAMETER_CHARS);

export function whatsAppTemplateMessage(to: string, template: TemplateRef, bodyParameters: string[]): ProductMessage {
  return {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to,
    type: 'template',
    template: {
      name: template.name,
      language: { code: template.language },
      components: [
        { type: 'body', parameters: bodyParameters.map((text) => ({ type: 'text', text: parameterText(text) })) },
      ],
    },
  };
}
