import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { protocol } from 'electron';
import { CONTENT_SECURITY_POLICY, RENDERER_MIME_TYPES } from '../host/security-headers';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://desk`;

/** Must run before `app.ready`: app:// behaves like a secure, standard origin (fetch, CSP 'self'). */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/**
 * Serves the built renderer from app://desk/ instead of file://, so the page gets a real origin and a CSP header.
 * `routes` answers app-only requests by path (e.g. POST /print), reachable by our page alone (same origin).
 */
export function serveRenderer(
  rendererDir: string,
  routes: Record<string, (request: Request) => Promise<Response>> = {},
): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const route = url.host === 'desk' ? routes[url.pathname] : undefined;
    if (route) return route(request);
    const relative = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '') || 'index.html';
    const file = join(rendererDir, relative);
    if (url.host !== 'desk' || !file.startsWith(rendererDir + sep))
      return new Response('Not found', { status: 404 });
    try {
      return new Response(await readFile(file), {
        headers: {
          'content-type': RENDERER_MIME_TYPES[extname(file)] ?? 'application/octet-stream',
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}
