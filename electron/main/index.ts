import { join } from 'node:path';
import { app, BrowserWindow, dialog, type IpcMainInvokeEvent, ipcMain, utilityProcess } from 'electron';
import { DESK_CALL_NAMES, type DeskCallName, IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL } from '../api/desk-api';
import { vi } from '../api/i18n';
import { resolveDataDir } from '../services/config/data-dir';
import { Desk } from '../services/desk/desk';
import { startupErrorMessage } from '../services/desk/startup-error';
import { endProcessAfterShutdown } from '../services/lifecycle/shutdown';
import { createLogger } from '../services/logging/logger';
import { utilityProcessLauncher } from '../services/scan/host/utility-host';
import { setProcessKeyProtector } from '../services/store/data-key';
import { PRODUCT_NAME } from '../services/version';
import { APP_ORIGIN, registerAppScheme, serveRenderer } from './app-protocol';
import { startAutoUpdate } from './auto-update';
import { denyAllPermissions, enforceContentSecurityPolicy, hardenWebContents } from './hardening';
import { safeStorageKeyProtector } from './key-protector';
import { printPdf } from './print-pdf';
import { openRatingWindow, RATING_WINDOW_CALLS, RATING_WINDOW_EVENTS } from './rating-window';

// The main process stays thin: windows, IPC wiring and lifecycle. All work lives in the services.
const dataDir = resolveDataDir();
app.setPath('userData', dataDir);
app.setPath('sessionData', join(dataDir, 'chromium'));
// Packaged builds keep OCR language data and other assets outside the asar (electron-builder.yml extraResources).
if (app.isPackaged) {
  process.env.MOTCUA_TESSDATA ??= join(process.resourcesPath, 'tessdata');
  process.env.MOTCUA_ASSETS_DIR ??= join(process.resourcesPath, 'assets');
}
registerAppScheme();
hardenWebContents(APP_ORIGIN);

if (!app.requestSingleInstanceLock()) app.quit();

const logger = createLogger({ dir: join(dataDir, 'logs'), echo: !app.isPackaged });
let desk: Desk | null = null;
let mainWindow: BrowserWindow | null = null;
let ratingWindow: BrowserWindow | null = null;

/** Only our own page, in our own window, may call the desk. */
function isTrustedSender(event: IpcMainInvokeEvent, name?: unknown): boolean {
  const url = event.senderFrame?.url ?? '';
  if (!url.startsWith(`${APP_ORIGIN}/`)) return false;
  if (event.sender === mainWindow?.webContents) return true;
  // The citizen's window may only read the open prompt and rate it.
  return event.sender === ratingWindow?.webContents && RATING_WINDOW_CALLS.has(name as DeskCallName);
}

function createWindow(path = '/index.html', bounds?: Electron.Rectangle): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    ...(bounds ?? {}),
    minWidth: 960,
    minHeight: 600,
    title: PRODUCT_NAME,
    show: false,
    backgroundColor: '#f4f6f9',
    webPreferences: {
      // Reviewed: the preload exposes only `deskBridge` (invoke an allow-listed call, subscribe to events).
      preload: join(import.meta.dirname, 'preload.cjs') /* eng-disable PRELOAD_JS_CHECK */,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // Middle-click must not open links in new windows.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  window.removeMenu();
  window.once('ready-to-show', () => window.show());
  void window.loadURL(`${APP_ORIGIN}${path}`);
  return window;
}

app.whenReady().then(() => {
  denyAllPermissions();
  enforceContentSecurityPolicy();
  serveRenderer(join(import.meta.dirname, '..', '..', 'renderer', 'dist'));
  // The data key is wrapped by the OS (safeStorage) before any store opens; safeStorage needs app ready.
  const protector = safeStorageKeyProtector();
  setProcessKeyProtector(protector ?? undefined);
  logger.info('security.key-protector', { kind: protector?.kind ?? 'key-file' });
  try {
    // Printing is a desk call (printForm, clerk only); the main process lends it the OS print dialog. Scanner
    // drivers run in a utility process the desk can kill when one hangs.
    desk = new Desk({
      dataDir,
      logger,
      printer: (pdf) => printPdf(pdf, logger),
      launchScannerHost: utilityProcessLauncher(utilityProcess),
    });
  } catch (error) {
    // A key or database the desk cannot open: say so in Vietnamese and what to do, instead of a crash.
    const message = startupErrorMessage(error);
    if (!message) throw error;
    logger.error('app.cannot-open-data', { error: (error as Error).message });
    dialog.showErrorBox(vi.app.cannotStart, message);
    app.exit(1);
    return;
  }
  const openDesk = desk;
  startAutoUpdate(openDesk, dataDir, logger.child('update'));

  ipcMain.handle(IPC_INVOKE_CHANNEL, (event, name: unknown, input: unknown) => {
    if (!isTrustedSender(event, name)) {
      logger.warn('ipc.untrusted-sender', { url: event.senderFrame?.url ?? 'none' });
      return { ok: false, error: { code: 'unknown-call', message: 'refused' } };
    }
    if (typeof name !== 'string' || !(DESK_CALL_NAMES as readonly string[]).includes(name)) {
      return { ok: false, error: { code: 'unknown-call', message: 'unknown call' } };
    }
    return openDesk.call(name as DeskCallName, input);
  });
  openDesk.events.subscribe((event, payload) => {
    mainWindow?.webContents.send(IPC_EVENT_CHANNEL, event, payload);
    if (RATING_WINDOW_EVENTS.has(event)) ratingWindow?.webContents.send(IPC_EVENT_CHANNEL, event, payload);
  });

  mainWindow = createWindow();
  mainWindow.on('closed', () => {
    mainWindow = null;
    ratingWindow?.close();
  });
  ratingWindow = openRatingWindow(createWindow);
  ratingWindow?.on('closed', () => {
    ratingWindow = null;
  });
  logger.info('app.ready', { dataDirConfigured: Boolean(process.env.MOTCUA_DATA_DIR) });
});

app.on('second-instance', () => {
  if (mainWindow?.isMinimized()) mainWindow.restore();
  mainWindow?.focus();
});

app.on('window-all-closed', () => app.quit());
app.on('will-quit', (event) => {
  if (!desk) return;
  // Let running scans and OCR stop cleanly (their work stays queued), then quit for real.
  event.preventDefault();
  const closing = desk;
  desk = null;
  void closing.close().then(
    (report) => {
      // A hung step (a scanner driver stuck in native code) would also hang Electron's own exit.
      if (report.clean) app.quit();
      else endProcessAfterShutdown(report, logger);
    },
    () => app.quit(),
  );
});
