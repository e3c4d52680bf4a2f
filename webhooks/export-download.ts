import express, { type Request, type Response, type Router } from 'express';
import { privacyTexts } from '../src/commands/privacy-texts';
import { isRightToLeft, LANGUAGES, type Language } from '../src/i18n/languages';
import { translatorFor, type Translator } from '../src/i18n/translator';
import type { Logger } from '../src/logging';
import { EXPORT_LINK_PATH, type ExportLinks } from '../src/privacy/export-link';

/**
 * The one-time /export link (src/privacy/export-link.ts): `GET /export/<token>` is a small page
 * with a Download button, and only its `POST` hands the file over and deletes it. Link previews
 * and scanners fetch with GET, so they never use up the person's one download.
 */

export interface ExportDownloadDependencies {
  links: Pick<ExportLinks, 'ready' | 'take'>;
  logger: Logger;
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The page speaks the browser's first shipped language (`Accept-Language`), English otherwise. */
function pageTranslator(req: Request): Translator {
  const asked = (req.get('accept-language') ?? '').split(',').map((part) => part.trim().slice(0, 2).toLowerCase());
  const language = asked.find((code): code is Language => (LANGUAGES as readonly string[]).includes(code)) ?? 'en';
  return translatorFor(language);
}

function page(res: Response, t: Translator, status: number, body: string): void {
  const title = escapeHtml(privacyTexts.exportPageTitle(t));
  const dir = isRightToLeft(t.language) ? 'rtl' : 'ltr';
  res
    .status(status)
    .set({
      'Cache-Control': 'no-store',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
      'Referrer-Policy': 'no-referrer',
      'X-Robots-Tag': 'noindex',
      'X-Content-Type-Options': 'nosniff',
    })
    .type('html')
    .send(
      [
        `<!doctype html><html lang="${t.language}" dir="${dir}"><head><meta charset="utf-8">`,
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        `<title>${title}</title>`,
        '<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#1c1e21}',
        'button{font:inherit;padding:.6rem 1.4rem;border:0;border-radius:.5rem;background:#0064e0;color:#fff;cursor:pointer}</style>',
        `</head><body><h1>${title}</h1>${body}</body></html>`,
      ].join(''),
    );
}

const gone = (res: Response, t: Translator) =>
  page(res, t, 404, `<p>${escapeHtml(privacyTexts.exportPageGone(t))}</p>`);

/** `2026-12-07 14:05` in UTC, for the page. */
const utcMinute = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

export function createExportDownloadRouter(deps: ExportDownloadDependencies): Router {
  const router = express.Router();
  const path = `${EXPORT_LINK_PATH}/:token`;

  router.get(path, async (req, res) => {
    const t = pageTranslator(req);
    const ready = await deps.links.ready(req.params.token);
    if (!ready) return gone(res, t);
    const text = escapeHtml(privacyTexts.exportPageReady(t, utcMinute(ready.expiresAt)));
    const button = escapeHtml(privacyTexts.exportPageButton(t));
    page(res, t, 200, `<p>${text}</p><form method="post"><button type="submit">${button}</button></form>`);
  });

  router.post(path, async (req, res) => {
    const taken = await deps.links.take(req.params.token);
    if (!taken) return gone(res, pageTranslator(req));
    deps.logger.info('export downloaded through its one-time link');
    const filename = `export-${new Date(taken.exportedOn).toISOString().slice(0, 10)}.json`;
    res
      .set({
        'Cache-Control': 'no-store',
        'Content-Disposition': `attachment; filename="${filename}"`,
        'X-Content-Type-Options': 'nosniff',
      })
      .type('application/json')
      .send(taken.json);
  });

  return router;
}
