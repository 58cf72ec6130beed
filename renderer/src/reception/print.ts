import type { DeskCalls } from '../../../electron/api/desk-api';
import { desk } from '../desk-client';

/**
 * Printing and saving the desk's PDF forms. Printing is the desk's printForm call, whatever the transport:
 * where the front door has a printer (Electron's OS dialog) the desk prints; where it has none (the browser
 * build) the PDF comes back and opens in the browser's own viewer, which prints it (the CSP forbids blob:
 * frames, so no hidden iframe).
 */

/** Bytes of a base64 PDF as the desk API returns it. */
export function pdfBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const pdfBlob = (base64: string) => new Blob([pdfBytes(base64)], { type: 'application/pdf' });

export type PrintOutcome = 'printed' | 'cancelled' | 'opened' | 'blocked';

export async function printForm(input: DeskCalls['printForm']['input']): Promise<PrintOutcome> {
  const { pdfBase64, printed } = await desk.printForm(input);
  if (printed !== null) return printed ? 'printed' : 'cancelled';
  const url = URL.createObjectURL(pdfBlob(pdfBase64));
  const opened = window.open(url, '_blank');
  // The viewer keeps the blob alive while it is open; free it once the clerk had time to print.
  setTimeout(() => URL.revokeObjectURL(url), 10 * 60_000);
  if (!opened) return 'blocked';
  opened.addEventListener('load', () => opened.print(), { once: true });
  return 'opened';
}

/** "Tải về": the form as a file in the Downloads folder (both builds). */
export function downloadPdf(base64: string, fileName: string): void {
  const url = URL.createObjectURL(pdfBlob(base64));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
