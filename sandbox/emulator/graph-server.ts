import type http from 'node:http';
import { BodyReadError, bodyReadStatus, readBody } from '../../src/http/read-body';
import type { createGraphApi } from './graph-api';
import { readGraphBody } from './graph-body';

/**
 * Graph calls carry small JSON bodies, and uploads (an export as a WhatsApp document or a
 * Messenger file) up to the largest Meta takes: WhatsApp documents, 100 MB.
 */
const EMULATOR_BODY_LIMITS = { maxBytes: 100 * 1024 * 1024, timeoutMs: 60_000 };

/** The emulator's HTTP side: reads each request's body, lets the Graph API answer, writes the answer. */
export function graphRequestHandler(graph: ReturnType<typeof createGraphApi>): http.RequestListener {
  return (req, res) => {
    const failed = (error: unknown) => {
      const status = error instanceof BodyReadError ? bodyReadStatus[error.reason] : 400;
      res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ error: { message: 'request body not received', code: 100 } }));
    };
    const answer = async (raw: Buffer) => {
      const body = await readGraphBody(req, raw);
      const url = new URL(req.url ?? '/', 'http://emulator');
      const reply = graph(req, url, body);
      if (reply.bytes) {
        res.writeHead(reply.status, {
          'content-type': reply.bytes.mimeType,
          'content-length': reply.bytes.data.length,
        });
        res.end(reply.bytes.data);
        return;
      }
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body ?? {}));
    };
    readBody(req, EMULATOR_BODY_LIMITS)
      .then(answer, failed)
      .catch(() => res.destroy());
  };
}
