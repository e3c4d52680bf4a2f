import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import express from 'express';
import type { Pseudonyms } from '../src/crypto/pseudonyms';
import { redactJobData } from '../src/queues/redacted-job';
import { createAdminAuth } from './admin-auth';

export const ADMIN_PATH = '/admin/queues';

export interface AdminDashboardSettings {
  token: string;
  /** no retries, removals, cleaning, pausing or adding jobs */
  readOnly: boolean;
  /** LOG_MESSAGE_CONTENT: job data is shown as stored; otherwise redacted (src/queues/redacted-job.ts) */
  showContent: boolean;
  pseudonyms: Pseudonyms;
}

/**
 * bull-board over the inbound and outbound queues, behind ADMIN_TOKEN (admin-auth.ts). Read-only
 * is enforced twice: bull-board hides its buttons, and any request that is not a read is refused
 * here before bull-board sees it. With changes allowed, each one still needs the sign-in cookie
 * and the dashboard's own origin (admin-auth.ts). Data stored sealed (DATA_ENCRYPTION_KEY) is never unsealed here.
 */
export function createAdminDashboard(queues: Queue[], settings: AdminDashboardSettings): express.Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(ADMIN_PATH);
  createBullBoard({
    queues: queues.map((queue) => {
      const adapter = new BullMQAdapter(queue, { readOnlyMode: settings.readOnly, allowRetries: !settings.readOnly });
      if (!settings.showContent) {
        adapter.setFormatter('data', (data: unknown) => redactJobData(data, settings.pseudonyms));
      }
      return adapter;
    }),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Threadline', hideDocsLink: true } },
  });

  const { loginRoutes, requireAdmin, requireSignedInPage } = createAdminAuth(settings.token, ADMIN_PATH);
  const router = express.Router();
  const readOnly: express.RequestHandler = (req, res, next) => {
    if (settings.readOnly && req.method !== 'GET' && req.method !== 'HEAD') {
      return void res.status(403).json({ error: 'the dashboard is read-only (ADMIN_READ_ONLY)' });
    }
    next();
  };
  router.use(ADMIN_PATH, loginRoutes, requireAdmin, readOnly, requireSignedInPage);
  router.use(ADMIN_PATH, serverAdapter.getRouter() as express.Router);
  return router;
}
