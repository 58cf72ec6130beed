import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeskEvents } from '../../electron/api/desk-api';
import { Desk } from '../../electron/services/desk/desk';
import { renderDeskSeparatorSheet } from '../../electron/services/imaging';
import { characterErrorRate } from '../../electron/services/ocr/cer';
import { signInDesk, value } from '../support/desk-call';
import { renderPdfPage } from '../support/poppler';
import { corpusFile, groundTruth } from './ocr/corpus';

/** Imported pages flow into the durable OCR queue, the page viewer and the search index (real tesseract.js). */
const opened: Desk[] = [];
afterEach(async () => {
  for (const desk of opened.splice(0)) await desk.close();
});

async function openDesk(dataDir = mkdtempSync(join(tmpdir(), 'motcua-desk-ocr-'))) {
  const desk = new Desk({ dataDir, networkPollMs: 0 });
  opened.push(desk);
  return signInDesk(desk);
}

const file = (name: string) => ({ name, base64: readFileSync(corpusFile(name)).toString('base64') });

function ocrFinished(desk: Desk, batchId: string): Promise<DeskEvents['ocrProgress'][]> {
  const seen: DeskEvents['ocrProgress'][] = [];
  return new Promise((resolve) => {
    const off = desk.events.subscribe((event, payload) => {
      const p = payload as DeskEvents['ocrProgress'];
      if (event !== 'ocrProgress' || p.batchId !== batchId) return;
      seen.push(p);
      if (p.finished === p.total && p.status !== 'running') {
        off();
        resolve(seen);
      }
    });
  });
}

describe('desk OCR', () => {
  it('reads imported pages in the background, shows their text and finds them without diacritics', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'motcua-desk-ocr-'));
    const desk = await openDesk(dataDir);
    const { batchId } = await value(
      desk.call('importPages', {
        files: [file('d2-don-xac-nhan-cu-tru.scan.jpg'), file('d3-quyet-dinh-tro-cap.stamp.jpg')],
      }),
    );
    const progress = await ocrFinished(desk, batchId);
    expect(
      progress
        .filter((p) => p.status === 'done')
        .map((p) => p.seq)
        .sort(),
    ).toEqual([1, 2]);

    const page = await value(desk.call('getPageText', { batchId, seq: 1 }));
    expect(page.status).toBe('done');
    expect(characterErrorRate(groundTruth('d2-don-xac-nhan-cu-tru'), page.text)).toBeLessThan(0.02);
    expect(page.image).toMatch(/^data:image\/jpeg;base64,/);
    expect(page.words.length).toBeGreaterThan(50);
    expect(page.words.every((w) => w.low === w.confidence < 60)).toBe(true);

    const found = await value(desk.call('searchDocuments', { query: 'xac nhan thong tin ve cu tru' }));
    expect(found.pages.map((p) => [p.batchId, p.seq])).toEqual([[batchId, 1]]);
    expect(found.pages[0]?.snippet.normalize('NFC')).toMatch(/ĐỀ NGHỊ XÁC NHẬN THÔNG TIN VỀ/);
    // The seal-covered page reads too (colour suppression), and is found by a word under the seal.
    const stamp = await value(desk.call('searchDocuments', { query: 'tro cap' }));
    expect(stamp.pages.map((p) => p.seq)).toContain(2);

    // A restart keeps results and does not read finished pages again.
    await desk.close();
    opened.splice(opened.indexOf(desk), 1);
    const again = await openDesk(dataDir);
    const status = await value(again.call('getOcrStatus', { batchId }));
    expect(status.map((s) => [s.seq, s.status])).toEqual([
      [1, 'done'],
      [2, 'done'],
    ]);
    const rows = again.store.db.prepare('SELECT SUM(attempts) AS attempts FROM ocr_jobs').get() as {
      attempts: number;
    };
    expect(rows.attempts).toBe(2);
  });

  it('splits imported pages into components at the desk separator sheet, which is not kept as a page', async () => {
    const desk = await openDesk();
    const sheet = await renderPdfPage(await renderDeskSeparatorSheet(), 150);
    const sheetPng = await sharp(sheet.data, {
      raw: { width: sheet.width, height: sheet.height, channels: sheet.channels },
    })
      .png()
      .toBuffer();
    const { batchId } = await value(
      desk.call('importPages', {
        files: [
          file('d1-to-khai-khai-sinh.clean.png'),
          { name: 'to-phan-cach.png', base64: sheetPng.toString('base64') },
          file('d4-giay-uy-quyen.scan.jpg'),
        ],
      }),
    );
    const { pages } = await value(desk.call('getScanBatch', { batchId }));
    expect(pages.map((p) => [p.seq, p.position, p.component])).toEqual([
      [1, 1, 1],
      [3, 2, 2],
    ]);
    await ocrFinished(desk, batchId);
    expect(desk.ocr.queue.batchJobs(batchId).map((j) => j.pageIndex)).toEqual([1, 3]);
  });

  it('refuses a file that is not an image with its name and a Vietnamese reason, recording nothing', async () => {
    const desk = await openDesk();
    const result = await desk.call('importPages', {
      files: [
        file('d1-to-khai-khai-sinh.clean.png'),
        { name: 'ghi-chu.txt', base64: Buffer.from('xin chào').toString('base64') },
      ],
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/^ghi-chu\.txt: /);
    expect(desk.store.db.prepare('SELECT COUNT(*) AS n FROM scan_batches').get()).toEqual({ n: 0 });
  });
});
