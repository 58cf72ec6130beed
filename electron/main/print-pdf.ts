import { BrowserWindow, session } from 'electron';
import type { Logger } from '../services/logging/logger';

/** A receipt is a few hundred kB; anything far larger is not a desk form. */
const MAX_PDF_BYTES = 20 * 1024 * 1024;

/**
 * Prints a desk form (receipt, supplement request, refusal) through the OS printer dialog: the PDF goes to a
 * hidden window of its own in-memory session (no app CSP, which would block Chromium's PDF viewer), the viewer
 * renders it, and `webContents.print` opens the system dialog. Electron ≥ 30 prints the PDF plugin's frame
 * (before, a blank page: electron/electron#30947, fixed by #43309). The desk's printForm call is the only
 * caller (DeskOptions.printer): the renderer never reaches this directly.
 */
export async function printPdf(pdf: Uint8Array, logger: Logger): Promise<{ printed: boolean }> {
  if (pdf.byteLength > MAX_PDF_BYTES || Buffer.from(pdf.subarray(0, 5)).toString('latin1') !== '%PDF-') {
    throw new Error('not a PDF document');
  }
  const printSession = session.fromPartition('motcua-print');
  // The viewer asks for no permission; none is ever granted in this session.
  printSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  const window = new BrowserWindow({
    show: false,
    width: 800,
    height: 1100,
    webPreferences: {
      plugins: true,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      javascript: true,
      disableBlinkFeatures: 'Auxclick',
      session: printSession,
    },
  });
  const started = Date.now();
  try {
    // A data: URL loaded by the main process: the form (names, ID numbers) never lands on disk in clear.
    await window.loadURL(`data:application/pdf;base64,${Buffer.from(pdf).toString('base64')}`);
    const printed = await new Promise<boolean>((resolve) => {
      window.webContents.print({ silent: false, printBackground: true }, (success, reason) => {
        // A clerk cancelling the dialog is not an error; it is logged as a plain outcome.
        if (!success) logger.info('print.not-printed', { reason });
        resolve(success);
      });
    });
    logger.info('print.done', { printed, bytes: pdf.byteLength, ms: Date.now() - started });
    return { printed };
  } finally {
    window.destroy();
  }
}
