import type { DeskCalls, ScanTestView } from '../../api/desk-api';
import { DeskError } from '../../api/errors';
import { format, vi } from '../../api/i18n';
import { assemblePdf, type EncodedPage, processScannedPage } from '../imaging';
import { ScanError } from '../scan/errors';
import { readScanPage } from '../scan/page-image';
import type { ScanService } from '../scan/scan-service';
import type { Store } from '../store/store';

type ScanTestInput = DeskCalls['scanTest']['input'];

/**
 * `scanTest` (IT staff's `motcua scan`): one batch run to its end with every sheet kept as the device gave it
 * (no blank removal: the test is of the scanner), the settings it took, timings, and optionally a PDF of it.
 * The app's scan panel goes through startScan and the scan workspace instead.
 */
export async function runScanTest(
  store: Store,
  scans: ScanService,
  input: ScanTestInput,
): Promise<ScanTestView> {
  try {
    if (input.profileName) {
      const device = (await scans.listScanners()).find((d) => d.id === input.deviceId);
      if (device && !scans.profiles.find(device, input.profileName))
        throw new DeskError(
          'not-found',
          'no such profile for this scanner model',
          format(vi.scan.cli.unknownProfile, {
            name: input.profileName,
            vendor: device.vendor,
            model: device.model,
          }),
        );
    }
    const outcome = await scans.startBatch({
      deviceId: input.deviceId,
      settings: input.settings,
      ...(input.profileName ? { profileName: input.profileName } : {}),
    });
    const { batch } = outcome;
    const pages = scans.pages(batch.id);
    let pdf: ScanTestView['pdf'] = null;
    let pdfMs: number | undefined;
    if (input.pdf && pages.length > 0) {
      const t0 = performance.now();
      const encoded: EncodedPage[] = [];
      for (const page of pages) {
        // A scanner test keeps every page it fed: no blank-page dropping here.
        const processed = await processScannedPage(await readScanPage(store.blobs, page), {
          mode: outcome.effective.mode,
          blankThreshold: null,
        });
        if (processed.kind === 'page') encoded.push(processed.encoded);
      }
      const bytes = await assemblePdf(encoded);
      pdf = { base64: Buffer.from(bytes).toString('base64'), bytes: bytes.byteLength };
      pdfMs = Math.round(performance.now() - t0);
    }
    if (input.saveProfile)
      scans.profiles.save(
        { vendor: batch.deviceVendor, model: batch.deviceModel, id: batch.deviceId },
        input.saveProfile,
        outcome.effective,
        { isDefault: true },
      );
    return {
      batchId: batch.id,
      device: { id: batch.deviceId, vendor: batch.deviceVendor, model: batch.deviceModel },
      status: batch.status,
      endedBy: outcome.endedBy,
      profile: outcome.profile?.name ?? null,
      settings: outcome.effective,
      pages: pages.map((p) => ({
        seq: p.seq,
        width: p.width,
        height: p.height,
        channels: p.channels,
        depth: p.depth,
        dpi: p.dpi,
        bytes: p.bytes,
        sha256: p.sha256,
        captureMs: p.captureMs,
      })),
      timings: {
        elapsedMs: Math.round(outcome.elapsedMs),
        captureMs: Math.round(outcome.captureMs),
        ...(pdfMs !== undefined ? { pdfMs } : {}),
      },
      pdf,
    };
  } catch (error) {
    // The device's own words for the clerk (no scanner, jammed, gone…), as the scan workspace gives them.
    if (error instanceof ScanError) throw new DeskError('scanner', error.message, error.clerkMessage);
    throw error;
  }
}
