import { afterAll, describe, expect, it } from 'vitest';
import { decodeImageFile } from '../../../electron/services/imaging/decode';
import { ImagingThread } from '../../../electron/services/imaging/imaging-thread';
import { processScannedPage } from '../../../electron/services/imaging/process';
import { CORPUS_DOCS, corpusFile } from './synthetic-pages';

describe('the imaging thread', () => {
  const imaging = new ImagingThread();
  afterAll(() => imaging.close());

  it('prepares a page off the caller thread exactly as the pipeline does: straightened, then encoded', async () => {
    // An office scan of the corpus, 1.5° crooked.
    const file = corpusFile(CORPUS_DOCS[0] as string, 'scan.jpg');
    const here = await processScannedPage(await decodeImageFile(file), { mode: 'bw', blankThreshold: null });
    if (here.kind !== 'page') throw new Error(`expected a page, got ${here.kind}`);
    const decoded = await decodeImageFile(file);
    // Pixels in a buffer of their own, as a rotated or decoded-to-raw page has them.
    const page = { ...decoded, data: new Uint8Array(decoded.data) };
    const there = await imaging.preparePage(page, 'bw', { deskew: true });
    // The page's pixels went to the worker (moved, not copied): the caller no longer holds them.
    expect(page.data.byteLength).toBe(0);
    expect(Math.abs(there.deskewAngle - 1.5)).toBeLessThanOrEqual(0.3);
    expect(there.deskewAngle).toBe(here.deskewAngle);
    expect(there.encoded).toMatchObject({
      format: 'ccitt-g4',
      width: here.encoded.width,
      dpi: here.encoded.dpi,
    });
    expect(Buffer.from(there.encoded.bytes).equals(Buffer.from(here.encoded.bytes))).toBe(true);

    // Not asked to straighten: the same pixels, encoded in the mode asked for.
    const grey = await imaging.preparePage(await decodeImageFile(file), 'gray', { deskew: false });
    expect(grey.deskewAngle).toBe(0);
    expect(grey.encoded).toMatchObject({ format: 'jpeg', width: decoded.width, height: decoded.height });
  });

  it('classifies on the same thread, and reports a page it cannot read', async () => {
    const blank = await imaging.classify(
      new Uint8Array(Buffer.from('P5 8 8 255\n'.padEnd(11 + 64, '\xff'), 'latin1')),
      300,
      {
        blankThreshold: 0.5,
        detectSeparators: true,
      },
    );
    expect(blank.kind).toBe('blank');
    await expect(
      imaging.classify(new Uint8Array([1, 2, 3]), 300, { blankThreshold: null, detectSeparators: false }),
    ).rejects.toThrow();
  });
});
