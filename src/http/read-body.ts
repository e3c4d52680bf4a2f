import type { IncomingMessage } from 'node:http';

/**
 * The one reader of HTTP request bodies, for `web`'s webhook path and the sandbox's servers: the
 * whole body as bytes, refused as soon as it is larger than `maxBytes` (declared or actually sent)
 * or has not arrived within `timeoutMs`. A refused body is never buffered further; the caller
 * answers and closes the connection, since the rest of the upload is of no use.
 */
export interface BodyLimits {
  maxBytes: number;
  timeoutMs: number;
}

export type BodyReadFailure = 'too-large' | 'timeout' | 'aborted';

export class BodyReadError extends Error {
  constructor(readonly reason: BodyReadFailure) {
    super(`request body ${reason}`);
    this.name = 'BodyReadError';
  }
}

/** The status that fits each failure (for a client still listening). */
export const bodyReadStatus: Record<BodyReadFailure, number> = { 'too-large': 413, timeout: 408, aborted: 400 };

export function readBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limits.maxBytes) {
      reject(new BodyReadError('too-large'));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (error: BodyReadError | undefined) => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      if (error) {
        // Stop reading: the socket's remaining bytes are never buffered.
        req.pause();
        reject(error);
      } else {
        resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
      }
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limits.maxBytes) return finish(new BodyReadError('too-large'));
      chunks.push(chunk);
    };
    const onEnd = () => finish(undefined);
    const onError = () => finish(new BodyReadError('aborted'));
    // The client went away before sending the whole body.
    const onClose = () => finish(new BodyReadError('aborted'));
    const timer = setTimeout(() => finish(new BodyReadError('timeout')), limits.timeoutMs);
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}
