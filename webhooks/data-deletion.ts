import express, { type Request, type Router } from 'express';
import type { Logger } from '../src/logging';
import type { AppScopedErasure } from '../src/privacy/app-scoped-erasure';
import { RECORD_TTL_DAYS, type DeletionRecord, type DeletionRequests } from '../src/privacy/deletion-requests';
import { parseSignedRequest, SignedRequestError, type SignedRequest } from '../src/crypto/signed-request';

/**
 * Meta's Data Deletion Request Callback. Meta POSTs a form with `signed_request` when a person
 * removes the app from their Facebook settings and asks for their data to be deleted. We answer
 * with a confirmation code and a status URL; the erasure runs after the answer (it scans Redis)
 * and the status page says when it is done. A bad, forged, stale or expired request is refused
 * with 400 before anything is written (src/crypto/signed-request.ts); a copy of one already
 * answered gets the same code and URL, and starts no second erasure.
 */
export interface DataDeletionDependencies {
  appSecret: string;
  requests: DeletionRequests;
  erasure: AppScopedErasure;
  /** e.g. https://bot.example.com; undefined: built from the request */
  publicBaseUrl: string | undefined;
  logger: Logger;
}

export const DATA_DELETION_PATH = '/meta/data-deletion';

function baseUrlOf(req: Request, configured: string | undefined): string | undefined {
  if (configured) return configured;
  const host = req.get('host');
  if (!host || !/^[A-Za-z0-9.:[\]-]+$/.test(host)) return undefined;
  const forwarded = req.get('x-forwarded-proto')?.split(',')[0]?.trim();
  const proto = forwarded === 'https' || forwarded === 'http' ? forwarded : req.protocol;
  return `${proto}://${host}`;
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The status page, in plain words. */
export function describeDeletion(record: DeletionRecord): string {
  const received = `Your request to delete your data (confirmation code ${record.code}) was received on ${day(record.receivedAt)} (UTC).`;
  // Promises only what the bot does: /reset clears one conversation's history.
  const unmatched =
    'WhatsApp, Messenger and Instagram identify you to us by ids of their own (your phone number, or ids ' +
    'that only this business sees), not by the Facebook id this request carries, so conversations kept ' +
    'under those ids could not be matched to it. They are deleted automatically after a period without ' +
    "activity, and writing /reset in a chat erases that conversation's history at once.";
  if (record.status === 'pending') return `${received}\n\nStatus: in progress. Please check this page again shortly.`;
  if (record.status === 'failed') {
    return `${received}\n\nStatus: not completed, because of a technical problem on our side. It has been logged for the team running this service. Please check this page again later.`;
  }
  const count = record.erased ?? 0;
  const what =
    count === 0
      ? 'We found no stored data linked to your Facebook account.'
      : `We erased ${count} stored item${count === 1 ? '' : 's'} linked to your Facebook account (conversation history, settings, usage counters and queued messages).`;
  return `${received}\n\nStatus: completed on ${day(record.finishedAt ?? record.receivedAt)} (UTC). ${what}\n\n${unmatched}`;
}

export function createDataDeletionRouter(deps: DataDeletionDependencies): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });

  router.post(DATA_DELETION_PATH, form, async (req, res) => {
    const body = req.body as Record<string, unknown> | undefined;
    let request: SignedRequest;
    try {
      request = parseSignedRequest(body?.signed_request, deps.appSecret);
    } catch (error) {
      if (!(error instanceof SignedRequestError)) throw error;
      deps.logger.warn({ reason: error.message }, 'data deletion request refused');
      return void res.status(400).json({ error: error.message });
    }
    const base = baseUrlOf(req, deps.publicBaseUrl);
    if (!base) return void res.status(400).json({ error: 'no Host header; set PUBLIC_BASE_URL' });
    let opened: { record: DeletionRecord; repeated: boolean };
    try {
      opened = await deps.requests.openOnce(request.replayId, request.acceptedUntil - Date.now() / 1000 + 1);
    } catch (error) {
      deps.logger.error({ err: error }, 'data deletion request not recorded: Redis unavailable');
      return void res.status(503).json({ error: 'temporarily unavailable' });
    }
    const { userId } = request;
    const code = opened.record.code;
    res.json({ url: `${base}${DATA_DELETION_PATH}/${code}`, confirmation_code: code });
    // A copy of a request already answered: the same answer, and nothing more to do.
    if (opened.repeated) return void deps.logger.info({ code }, 'data deletion request repeated');
    // `user` is written as a keyed hash by the logger (src/logging.ts), never as the id itself.
    deps.logger.info({ user: userId, code }, 'data deletion requested');

    deps.erasure
      .eraseAppScopedUser(userId)
      .then(
        async (summary) => {
          deps.logger.info({ code, ...summary }, 'data deletion done');
          await deps.requests.finish(code, { status: 'done', erased: summary.keysDeleted + summary.jobsRemoved });
        },
        async (error: unknown) => {
          deps.logger.error({ err: error, code, user: userId }, 'data deletion failed');
          await deps.requests.finish(code, { status: 'failed' });
        },
      )
      .catch((error: unknown) => deps.logger.error({ err: error, code }, 'data deletion status not saved'));
  });

  router.get(`${DATA_DELETION_PATH}/:code`, async (req, res) => {
    let record: DeletionRecord | null;
    try {
      record = await deps.requests.find(req.params.code);
    } catch {
      return void res.status(503).type('text/plain').send('Temporarily unavailable. Please try again shortly.');
    }
    if (!record) {
      return void res
        .status(404)
        .type('text/plain')
        .send(
          `We have no deletion request with this confirmation code. Requests are kept for ${RECORD_TTL_DAYS} days.`,
        );
    }
    res.type('text/plain').send(describeDeletion(record));
  });

  return router;
}
