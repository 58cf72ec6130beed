import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openWorkingCalendar } from '../../../electron/services/calendar';
import { parseVietnamDateTime } from '../../../electron/services/calendar/civil-date';
import { dueDossiers, maskName } from '../../../electron/services/quality/due-dossiers';
import { openStore } from '../../../electron/services/store/store';

describe('dossiers due today, due soon and overdue (working-day calendar)', () => {
  it('masks names', () => {
    expect(maskName('Nguyễn Văn An')).toBe('Nguyễn V. A.');
    expect(maskName('  Đỗ  ánh ')).toBe('Đỗ Á.');
    expect(maskName('')).toBe('');
  });

  it('splits open dossiers by their due time, skipping returned and finished ones', () => {
    const store = openStore(join(mkdtempSync(join(tmpdir(), 'motcua-due-')), 'data'));
    const insert = store.db.prepare(
      `INSERT INTO dossiers (id, code, procedure_code, procedure_name, applicant_name, status, created_at, updated_at,
                             received_at, due_at, province_status)
       VALUES (?, ?, '1.001193', 'Đăng ký khai sinh', 'Trần Thị Bích Ngọc', 'received', ?, ?, ?, ?, ?)`,
    );
    const at = (text: string) => parseVietnamDateTime(text).toISOString();
    const add = (code: string, due: string, provinceStatus: number | null = null) => {
      const id = randomUUID();
      const received = at('2026-12-01T09:00');
      insert.run(id, code, received, received, received, at(due), provinceStatus);
      return id;
    };
    add('HS-1', '2026-12-03T10:00');
    add('HS-2', '2026-12-04T09:00'); // earlier today: already late
    add('HS-3', '2026-12-04T16:00');
    add('HS-4', '2026-12-07T10:00'); // Monday: the 1st working day after Friday
    add('HS-5', '2026-12-08T16:00'); // Tuesday: the 2nd
    add('HS-6', '2026-12-09T10:00'); // the 3rd: not yet
    add('HS-7', '2026-12-02T10:00', 9); // the province finished it
    const returned = add('HS-8', '2026-12-02T10:00');
    store.db
      .prepare(
        `INSERT INTO dossier_results (dossier_id, kind, returned_at, returned_by, created_at) VALUES (?, 'paper', ?, 'c', ?)`,
      )
      .run(returned, at('2026-12-02T09:00'), at('2026-12-02T09:00'));
    const view = dueDossiers(
      store.db,
      openWorkingCalendar({ db: store.db }),
      parseVietnamDateTime('2026-12-04T10:00'),
    );
    store.close();
    expect(view.overdue.map((d) => d.code)).toEqual(['HS-1', 'HS-2']);
    expect(view.dueToday.map((d) => d.code)).toEqual(['HS-3']);
    expect(view.dueSoon.map((d) => d.code)).toEqual(['HS-4', 'HS-5']);
    expect(view.overdue[0]?.applicantMasked).toBe('Trần T. B. N.');
  });
});
