import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RatingPromptView } from '../../../electron/api/quality-api';
import { Desk } from '../../../electron/services/desk/desk';
import { buildDossierPayload } from '../../../electron/services/sync/dossier-payload';
import { signInDesk, TEST_ADMIN, value } from '../../support/desk-call';

const desks: Desk[] = [];
afterAll(async () => {
  for (const desk of desks.splice(0)) await desk.close();
});

function receivedDossier(desk: Desk, code: string): string {
  const id = randomUUID();
  const now = new Date().toISOString();
  const due = new Date(Date.now() + 2 * 86_400_000).toISOString();
  const clerkId = (desk.store.db.prepare('SELECT id FROM clerks LIMIT 1').get() as { id: string }).id;
  desk.store.db
    .prepare(
      `INSERT INTO dossiers (id, code, procedure_code, procedure_name, applicant_name, applicant_id_number, status,
                             created_at, updated_at, received_at, due_at, clerk_id)
       VALUES (?, ?, '1.001193', 'Đăng ký khai sinh', 'Phạm Thị Hoa', '038192004517', 'received', ?, ?, ?, ?, ?)`,
    )
    .run(id, code, now, now, now, due, clerkId);
  return id;
}

describe('the citizen’s rating through the desk calls', () => {
  it('opens on the dossier just handled, shows the officer, records once, and counts into 5.4 as local', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'motcua-rating-')), 'data');
    const desk = await signInDesk(new Desk({ dataDir, networkPollMs: 0 }));
    desks.push(desk);
    const prompts: (RatingPromptView | null)[] = [];
    desk.events.subscribe((event, payload) => {
      if (event === 'ratingPrompt') prompts.push(payload as RatingPromptView | null);
    });
    expect(await value(desk.call('getRatingPrompt', null))).toBeNull();
    const first = receivedDossier(desk, '000.00.22.H56-261204-0001');
    const other = receivedDossier(desk, '000.00.22.H56-261204-0002');
    const pdf = Buffer.from('%PDF-1.4 kết quả điện tử\n').toString('base64');
    const returned = await value(
      desk.call('returnResult', {
        dossierId: first,
        kind: 'e-result',
        file: { name: 'ket-qua.pdf', mimeType: 'application/pdf', dataBase64: pdf },
      }),
    );
    expect(returned).toMatchObject({ code: '000.00.22.H56-261204-0001', kind: 'e-result' });
    const again = await desk.call('returnResult', { dossierId: first, kind: 'paper' });
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(!again.ok && again.error.message).toContain('đã được trả lúc');

    const prompt = await value(desk.call('getRatingPrompt', null));
    expect(prompt).toMatchObject({
      dossierId: first,
      step: 'result-return',
      officer: { name: TEST_ADMIN.name, position: 'Công chức tiếp nhận hồ sơ', photoDataUrl: null },
    });
    expect(prompts).toEqual([prompt]);

    // Only the open prompt's dossier and step; reasons only with "Chưa hài lòng".
    const wrong = await desk.call('recordRating', {
      dossierId: other,
      step: 'result-return',
      level: 'satisfied',
    });
    expect(wrong).toMatchObject({ ok: false });
    const reasonsOnPraise = await desk.call('recordRating', {
      dossierId: first,
      step: 'result-return',
      level: 'satisfied',
      reasons: ['attitude'],
    });
    expect(!reasonsOnPraise.ok && reasonsOnPraise.error.message).toContain('Chưa hài lòng');
    await value(
      desk.call('recordRating', {
        dossierId: first,
        step: 'result-return',
        level: 'dissatisfied',
        reasons: ['long-wait'],
      }),
    );
    expect(prompts.at(-1)).toBeNull();
    const twice = await desk.call('recordRating', {
      dossierId: first,
      step: 'result-return',
      level: 'satisfied',
    });
    expect(twice).toMatchObject({ ok: false });

    // Nothing of the citizen in the rating row; the officer and the dossier only.
    const row = desk.store.db.prepare('SELECT * FROM dossier_ratings').get() as Record<string, unknown>;
    expect(Object.keys(row).sort()).toEqual(
      ['channel', 'dossier_id', 'level', 'officer_clerk_id', 'rated_at', 'reasons_json', 'step'].sort(),
    );
    expect(JSON.stringify(row)).not.toMatch(/038192004517|Phạm Thị Hoa/);

    const report = await value(desk.call('qualityReport', { withDossiers: true }));
    const satisfaction = report.figures.find((f) => f.indicator === '5.4');
    expect(satisfaction?.local).toEqual({ dissatisfiedRatings: 1, counted: true, complaints: 0 });
    expect(satisfaction).toMatchObject({ numerator: 0, denominator: 1 });
    expect(report.figures.find((f) => f.indicator === '4.1')).toMatchObject({ numerator: 1, denominator: 1 });

    // The rating travels in the dossier's sync payload.
    const { payload } = buildDossierPayload(desk.store.db, first, '000.00.22.H56');
    expect(payload.DanhGiaHaiLong).toEqual([
      {
        Buoc: 'tra-ket-qua',
        MucDo: 3,
        LyDo: ['long-wait'],
        ThoiDiem: expect.stringMatching(/^\d{14}$/),
        KenhDanhGia: 'quay',
      },
    ]);
  }, 60_000);
});
