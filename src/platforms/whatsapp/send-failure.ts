import { classifyGraphFailure, type PlatformSendCodes, type SendFailure } from '../graph-errors';

/**
 * WhatsApp's own reading of Graph codes: 131047 is the closed 24-hour window; code 10 is a
 * permission problem here (on Messenger and Instagram it means the window), never retried.
 */
const WHATSAPP_SEND_CODES: PlatformSendCodes = { windowClosed: new Set([131047]), never: new Set([10]) };

export const classifyWhatsAppSendFailure = (error: unknown): SendFailure =>
  classifyGraphFailure(error, WHATSAPP_SEND_CODES);
