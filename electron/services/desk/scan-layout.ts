import type { ScanPageEdit } from '../../api/desk-api';
import type { ScanPageRecord } from '../scan/scan-repository';
import type { Store } from '../store/store';

export interface LaidOutPage {
  record: ScanPageRecord;
  /** 1-based place among the pages the clerk kept. */
  position: number;
  rotation: 0 | 90 | 180 | 270;
}

interface LayoutRow {
  seq: number;
  position: number;
  rotation: 0 | 90 | 180 | 270;
  deleted: number;
}

/** The clerk's order, rotation and removal of a batch's pages, kept apart from the scanned files. */
export class ScanLayout {
  constructor(private readonly store: Store) {}

  /** Kept pages in the clerk's order; pages never edited keep their scan order. */
  arrange(batchId: string, records: ScanPageRecord[]): LaidOutPage[] {
    const rows = new Map(
      (
        this.store.db
          .prepare('SELECT seq, position, rotation, deleted FROM scan_page_layout WHERE batch_id = ?')
          .all(batchId) as LayoutRow[]
      ).map((r) => [r.seq, r]),
    );
    return records
      .map((record) => ({ record, row: rows.get(record.seq) }))
      .filter(({ row }) => !row?.deleted)
      .sort((a, b) => (a.row?.position ?? a.record.seq) - (b.row?.position ?? b.record.seq))
      .map(({ record, row }, index) => ({ record, position: index + 1, rotation: row?.rotation ?? 0 }));
  }

  edit(batchId: string, records: ScanPageRecord[], seq: number, edit: ScanPageEdit): void {
    const { db } = this.store;
    db.transaction(() => {
      const pages = this.arrange(batchId, records);
      const index = pages.findIndex((p) => p.record.seq === seq);
      const page = pages[index];
      if (!page) throw new RangeError(`page ${seq} of batch ${batchId} is not in the batch`);
      // Materialise the current order so moves are plain swaps of sort keys.
      for (const p of pages) this.upsert(batchId, p.record.seq, { position: p.position });
      switch (edit) {
        case 'rotate-left':
        case 'rotate-right': {
          const turn = edit === 'rotate-right' ? 90 : 270;
          this.upsert(batchId, seq, { rotation: ((page.rotation + turn) % 360) as LaidOutPage['rotation'] });
          break;
        }
        case 'delete':
          this.upsert(batchId, seq, { deleted: 1 });
          break;
        case 'move-earlier':
        case 'move-later': {
          const other = pages[edit === 'move-earlier' ? index - 1 : index + 1];
          if (!other) return;
          this.upsert(batchId, seq, { position: other.position });
          this.upsert(batchId, other.record.seq, { position: page.position });
          break;
        }
      }
    })();
  }

  /** Puts page `newSeq` where `oldSeq` stood and removes `oldSeq` (a rescanned sheet). */
  replace(batchId: string, records: ScanPageRecord[], oldSeq: number, newSeq: number): void {
    this.store.db.transaction(() => {
      const old = this.arrange(batchId, records).find((p) => p.record.seq === oldSeq);
      if (!old) throw new RangeError(`page ${oldSeq} of batch ${batchId} is not in the batch`);
      for (const p of this.arrange(batchId, records))
        this.upsert(batchId, p.record.seq, { position: p.position });
      this.upsert(batchId, newSeq, { position: old.position, rotation: 0 });
      this.upsert(batchId, oldSeq, { deleted: 1 });
    })();
  }

  private upsert(batchId: string, seq: number, change: Partial<Omit<LayoutRow, 'seq'>>): void {
    const { db } = this.store;
    db.prepare(
      `INSERT INTO scan_page_layout (batch_id, seq, position) VALUES (?, ?, ?) ON CONFLICT (batch_id, seq) DO NOTHING`,
    ).run(batchId, seq, change.position ?? seq);
    for (const [column, value] of Object.entries(change)) {
      db.prepare(`UPDATE scan_page_layout SET ${column} = ? WHERE batch_id = ? AND seq = ?`).run(
        value,
        batchId,
        seq,
      );
    }
  }
}
