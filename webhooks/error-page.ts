import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../src/logging';

/**
 * The last handler of the `web` app: whatever a route or a body parser threw becomes its status
 * and the status's short reason as plain text, and nothing else. Express's own final handler
 * prints the stack, with the absolute paths of our files, whenever `NODE_ENV` is not
 * `production`, and a malformed body is enough to reach it; so no error ever gets that far. A
 * client's mistake (4xx: bad JSON, a body too large, an unsupported charset or encoding, a
 * malformed path) is logged at debug; anything else is ours, logged as an error.
 */
export function errorPage(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    // Part of the answer is already out: only closing the connection is left, which Express does.
    if (res.headersSent) return void next(error);
    const status = statusOf(error);
    if (status >= 500) logger.error({ err: error, method: req.method }, 'request failed');
    else logger.debug({ status, method: req.method }, 'request refused');
    res
      .status(status)
      .set('Content-Type', 'text/plain; charset=utf-8')
      .set('X-Content-Type-Options', 'nosniff')
      .set('Cache-Control', 'no-store')
      .send(STATUS_CODES[status] ?? 'Error');
  };
}

/** The 4xx or 5xx status an error carries (body-parser and Express set `status`), else 500. */
function statusOf(error: unknown): number {
  const carried =
    (error as { status?: unknown; statusCode?: unknown } | null)?.status ??
    (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof carried === 'number' && Number.isInteger(carried) && carried >= 400 && carried <= 599 ? carried : 500;
}
