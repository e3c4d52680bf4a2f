import { classifyGraphFailure, type PlatformSendCodes, type SendFailure } from '../graph-errors';

/**
 * Messenger's and Instagram's reading of Graph codes: 10 (with subcode 2018278 on Messenger,
 * 2534022 on Instagram) and 1545041 mean the 24-hour window is closed, as does 131047.
 */
const PAGE_SEND_CODES: PlatformSendCodes = { windowClosed: new Set([10, 1545041, 131047]), never: new Set() };

export const classifyPageSendFailure = (error: unknown): SendFailure => classifyGraphFailure(error, PAGE_SEND_CODES);
