import { app, session } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../host/security-headers';

/**
 * Defence in depth for every web contents the app ever creates: no navigation away from the app, no new
 * windows, no webviews, no permission grants (camera, geolocation, notifications…).
 */
export function hardenWebContents(appOrigin: string): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!url.startsWith(`${appOrigin}/`)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!url.startsWith(`${appOrigin}/`)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    // The desk never opens other windows or hands URLs to the OS: nothing a page links to can leave the app.
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

/** The CSP on every response the session loads, on top of the app:// handler's own header and the page's meta tag. */
export function enforceContentSecurityPolicy(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
}

export function denyAllPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.setDevicePermissionHandler(() => false);
}
