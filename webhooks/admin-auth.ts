import { createHmac } from 'node:crypto';
import express, { type Request, type RequestHandler, type Response } from 'express';
import { sameSecret } from '../src/crypto/same-secret';

/**
 * Who may see the queue dashboard: whoever presents ADMIN_TOKEN, as HTTP Basic auth (any user
 * name; for curl and scripts) or once through the login form, which sets a sign-in cookie. The
 * cookie holds an expiry and an HMAC of it keyed by the token, never the token itself: it is
 * HttpOnly (no script reads it), SameSite=Strict (no other site's form rides on it) and limited
 * to the dashboard's path, and changing ADMIN_TOKEN signs everyone out.
 *
 * Changes (anything but GET and HEAD) want more: the sign-in cookie, and a request the browser
 * marks as coming from the dashboard's own origin. A browser that has been given Basic
 * credentials sends them again with any request to this origin, including another site's form
 * post, and bull-board adds a job from a `text/plain` body; only the SameSite cookie and the
 * browser's own `Sec-Fetch-Site`/`Origin` tell the dashboard's page from another site.
 */
export const ADMIN_COOKIE = 'threadline_admin';
const SIGN_IN_SECONDS = 12 * 3600;

export interface AdminAuth {
  /** GET and POST `login`, POST `logout` */
  loginRoutes: express.Router;
  /** lets a signed-in request through; answers 401 (with the login form for a browser) otherwise */
  requireAdmin: RequestHandler;
  /** lets a change through only with the sign-in cookie, from the dashboard's own origin; 403 otherwise */
  requireSignedInPage: RequestHandler;
}

export function createAdminAuth(token: string, basePath: string): AdminAuth {
  const seal = (expires: number) => createHmac('sha256', token).update(`admin sign-in ${expires}`).digest('base64url');
  const hasCookie = (req: Request) => validSignIn(cookieValue(req), seal);
  const signedIn = (req: Request) => hasCookie(req) || sameSecret(basicPassword(req), token);

  const loginRoutes = express.Router();
  loginRoutes.get('/login', (_req, res) => void loginPage(res, 200, basePath));
  loginRoutes.post('/login', express.urlencoded({ extended: false, limit: '4kb' }), (req, res) => {
    const given: unknown = (req.body as Record<string, unknown> | undefined)?.token;
    if (!sameSecret(given, token)) return loginPage(res, 401, basePath, 'That token is not right.');
    const expires = Math.floor(Date.now() / 1000) + SIGN_IN_SECONDS;
    res.cookie(ADMIN_COOKIE, `${expires}.${seal(expires)}`, {
      httpOnly: true,
      sameSite: 'strict',
      // Behind a TLS-terminating proxy the request itself is plain HTTP; the proxy's header says
      // what the browser used. Trusting it can only add the flag, never weaken the cookie.
      secure: req.secure || req.headers['x-forwarded-proto'] === 'https',
      path: basePath,
      maxAge: SIGN_IN_SECONDS * 1000,
    });
    res.redirect(303, `${basePath}/`);
  });
  loginRoutes.post('/logout', (_req, res) => {
    res.clearCookie(ADMIN_COOKIE, { path: basePath });
    res.redirect(303, `${basePath}/login`);
  });

  const requireAdmin: RequestHandler = (req, res, next) => {
    if (signedIn(req)) return next();
    if (req.method === 'GET' && req.accepts(['json', 'html']) === 'html') return loginPage(res, 401, basePath);
    res.set('WWW-Authenticate', 'Basic realm="Threadline queues", charset="UTF-8"');
    res.status(401).json({ error: 'unauthorized' });
  };
  const requireSignedInPage: RequestHandler = (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    if (!hasCookie(req)) {
      return void res.status(403).json({ error: 'changes need the sign-in form (Basic auth is for reading)' });
    }
    if (!fromOwnOrigin(req)) return void res.status(403).json({ error: 'changes come only from the dashboard itself' });
    next();
  };
  return { loginRoutes, requireAdmin, requireSignedInPage };
}

/**
 * The browser's word that the dashboard's own page made this request: `Sec-Fetch-Site` where the
 * browser sends it, else an `Origin` naming this host. No page can set either header for another
 * site, and a request with neither (not a browser) has no claim to be the dashboard.
 */
function fromOwnOrigin(req: Request): boolean {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin';
  const origin = req.headers.origin;
  if (!origin) return false;
  // Behind a proxy the browser's host is in X-Forwarded-Host; a page cannot set that header either.
  const host = req.get('x-forwarded-host')?.split(',')[0]?.trim() || req.headers.host;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

function validSignIn(value: string | undefined, seal: (expires: number) => string): boolean {
  const match = value ? /^(\d{1,12})\.([A-Za-z0-9_-]+)$/.exec(value) : null;
  if (!match) return false;
  const expires = Number(match[1]);
  return expires > Date.now() / 1000 && sameSecret(match[2], seal(expires));
}

function cookieValue(req: Request): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const [name, ...rest] = pair.trim().split('=');
    if (name === ADMIN_COOKIE) return rest.join('=');
  }
  return undefined;
}

function basicPassword(req: Request): string | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(req.headers.authorization?.trim() ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon === -1 ? undefined : decoded.slice(colon + 1);
}

function loginPage(res: Response, status: number, basePath: string, problem?: string): void {
  res
    .status(status)
    .set('Cache-Control', 'no-store')
    .set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
    .type('html').send(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Threadline queues: sign in</title>
<style>body{font:16px system-ui;max-width:24rem;margin:4rem auto}input,button{font:inherit;padding:.4rem;width:100%;margin:.3rem 0}</style>
</head><body><h1>Threadline queues</h1>
${problem ? `<p role="alert">${problem}</p>` : ''}
<form method="post" action="${basePath}/login">
<label for="token">Admin token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<button type="submit">Sign in</button>
</form></body></html>`);
}
