import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DeskEvents, ScanSettingsView } from '../../../electron/api/desk-api';
import type { RatingPromptView } from '../../../electron/api/quality-api';
import { Desk } from '../../../electron/services/desk/desk';
import { buildDossierPayload } from '../../../electron/services/sync/dossier-payload';
import { value } from '../../support/desk-call';

/**
 * The rating opens when the receipt is printed: a real reception (libsane `test` ADF, catalog sample, code
 * issuer, receipt form) and the rating of that very dossier, which then travels in its sync payload.
 */
const small: ScanSettingsView = { source: 'adf', resolution: 75, mode: 'gray', pageSize: 'A5' };
const dir = mkdtempSync(join(tmpdir(), 'motcua-reception-rating-'));
let desk: Desk | undefined;
afterAll(async () => {
  await desk?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the rating after reception', () => {
  it('opens on the dossier whose receipt was just printed and is stored with it', async () => {
    writeFileSync(
      join(dir, 'config.json'),
      JSON.stringify({
        agencyCode: '000.17.22.H56',
        agencyName: 'UBND xã Quảng Phú',
        deskSlot: 0,
        scan: { removeBlankPages: false },
      }),
    );
    desk = new Desk({ dataDir: dir, networkPollMs: 0 });
    const opened = desk;
    await value(opened.call('setupFirstAdmin', { name: 'Nguyễn Văn An', pin: '2468' }));
    const prompts: (RatingPromptView | null)[] = [];
    opened.events.subscribe((event, payload) => {
      if (event === 'ratingPrompt') prompts.push(payload as RatingPromptView | null);
    });
    const draft = await value(
      opened.call('startReception', {
        procedureCode: '1.001193',
        applicant: { fullName: 'Lê Thị Hồng Nhung', idNumber: '038192004517' },
      }),
    );
    const { batchId } = await value(opened.call('startScan', { deviceId: 'test:0', settings: small }));
    await new Promise<void>((resolve) => {
      const off = opened.events.subscribe((event, payload) => {
        if (event === 'scanEnded' && (payload as DeskEvents['scanEnded']).batchId === batchId) {
          off();
          resolve();
        }
      });
    });
    for (const componentCode of ['KS-01', 'KS-02'])
      await value(opened.call('attachScan', { dossierId: draft.dossierId, componentCode, batchId }));
    expect(prompts).toEqual([]);
    const { view } = await value(opened.call('completeReception', { dossierId: draft.dossierId }));
    expect(prompts).toHaveLength(1);
    expect(prompts[0]).toMatchObject({
      dossierId: draft.dossierId,
      dossierCode: view.code,
      step: 'reception',
      officer: { name: 'Nguyễn Văn An', commune: 'UBND xã Quảng Phú' },
    });
    await value(
      opened.call('recordRating', { dossierId: draft.dossierId, step: 'reception', level: 'very-satisfied' }),
    );
    const { payload } = buildDossierPayload(opened.store.db, draft.dossierId, '000.17.22.H56');
    expect(payload.DanhGiaHaiLong).toEqual([
      {
        Buoc: 'tiep-nhan',
        MucDo: 1,
        LyDo: [],
        ThoiDiem: expect.stringMatching(/^\d{14}$/),
        KenhDanhGia: 'quay',
      },
    ]);
  }, 180_000);
});
