/**
 * Printing and saving the desk's PDF forms. In Electron the main process prints through the OS dialog
 * (POST to app://desk/print, see electron/main/print-pdf.ts); in the browser build the PDF opens in the
 * browser's own viewer, which prints it (the CSP forbids blob: frames, so no hidden iframe).
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

export async function printPdf(base64: string): Promise<PrintOutcome> {
  if (window.deskBridge) {
    const response = await fetch(new URL('print', document.baseURI), {
      method: 'POST',
      body: pdfBlob(base64),
    });
    if (!response.ok) throw new Error(await response.text());
    const { printed } = (await response.json()) as { printed: boolean };
    return printed ? 'printed' : 'cancelled';
  }
  const url = URL.createObjectURL(pdfBlob(base64));
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
