import { afterAll, describe, expect, it } from 'vitest';
import { decodeImageFile } from '../../../electron/services/imaging/decode';
import { encodeBlackAndWhite } from '../../../electron/services/imaging/encode';
import { ImagingThread } from '../../../electron/services/imaging/imaging-thread';
import { CORPUS_DOCS, corpusFile } from './synthetic-pages';

describe('the imaging thread', () => {
  const imaging = new ImagingThread();
  afterAll(() => imaging.close());

  it('encodes a black-and-white page off the caller thread, byte for byte as on it', async () => {
    const file = corpusFile(CORPUS_DOCS[0] as string, 'scan.jpg');
    const here = encodeBlackAndWhite(await decodeImageFile(file));
    const decoded = await decodeImageFile(file);
    // Pixels in a buffer of their own, as a rotated or decoded-to-raw page has them.
    const page = { ...decoded, data: new Uint8Array(decoded.data) };
    const there = await imaging.encodeBlackAndWhite(page);
    // The page's pixels went to the worker (moved, not copied): the caller no longer holds them.
    expect(page.data.byteLength).toBe(0);
    expect(there).toMatchObject({
      format: 'ccitt-g4',
      width: here.width,
      height: here.height,
      dpi: here.dpi,
    });
    expect(Buffer.from(there.bytes).equals(Buffer.from(here.bytes))).toBe(true);
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
