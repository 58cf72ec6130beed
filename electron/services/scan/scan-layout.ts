import type { ScanPageEdit } from '../../api/desk-api';
import type { PageKind } from '../imaging/classify';
import type { Store } from '../store/store';
import type { ScanPageRecord } from './scan-repository';

export interface LaidOutPage {
  record: ScanPageRecord;
  /** 1-based place among the pages kept. */
  position: number;
  rotation: 0 | 90 | 180 | 270;
  /** 1-based dossier component: separator sheets start the next one. */
  component: number;
}

interface LayoutRow {
  seq: number;
  position: number;
  rotation: 0 | 90 | 180 | 270;
  deleted: number;
  kind: PageKind;
}

/** A batch's page order, rotation, removals and sheet kinds, kept apart from the scanned files. */
export class ScanLayout {
  constructor(private readonly store: Store) {}

  /** Content pages in order (not removed, not blank, not separators), numbered into components. */
  arrange(batchId: string, records: ScanPageRecord[]): LaidOutPage[] {
    const rows = this.rows(batchId);
    const ordered = records
      .map((record) => ({ record, row: rows.get(record.seq) }))
      .filter(({ row }) => !row?.deleted && row?.kind !== 'blank')
      .sort((a, b) => (a.row?.position ?? a.record.seq) - (b.row?.position ?? b.record.seq));
    const pages: LaidOutPage[] = [];
    let component = 1;
    for (const { record, row } of ordered) {
      if (row?.kind === 'separator') {
        if (pages.length > 0 && pages.at(-1)?.component === component) component++;
        continue;
      }
      pages.push({ record, position: pages.length + 1, rotation: row?.rotation ?? 0, component });
    }
    return pages;
  }

  /** Sheets left out of the arrangement because they were found blank. */
  blankCount(batchId: string): number {
    return [...this.rows(batchId).values()].filter((r) => r.kind === 'blank' && !r.deleted).length;
  }

  classify(batchId: string, seq: number, kind: PageKind): void {
    this.upsert(batchId, seq, { kind });
  }

  edit(batchId: string, records: ScanPageRecord[], seq: number, edit: ScanPageEdit): void {
    const { db } = this.store;
    db.transaction(() => {
      const pages = this.arrange(batchId, records);
      const index = pages.findIndex((p) => p.record.seq === seq);
      const page = pages[index];
      if (!page) throw new RangeError(`page ${seq} of batch ${batchId} is not in the batch`);
      this.materialiseOrder(batchId, records);
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
          const positions = this.rows(batchId);
          const mine = positions.get(seq)?.position ?? seq;
          const theirs = positions.get(other.record.seq)?.position ?? other.record.seq;
          this.upsert(batchId, seq, { position: theirs });
          this.upsert(batchId, other.record.seq, { position: mine });
          break;
        }
      }
    })();
  }

  /** Puts page `newSeq` where `oldSeq` stood and removes `oldSeq` (a rescanned sheet). */
  replace(batchId: string, records: ScanPageRecord[], oldSeq: number, newSeq: number): void {
    this.store.db.transaction(() => {
      if (!this.arrange(batchId, records).some((p) => p.record.seq === oldSeq)) {
        throw new RangeError(`page ${oldSeq} of batch ${batchId} is not in the batch`);
      }
      this.materialiseOrder(batchId, records);
      const oldPosition = this.rows(batchId).get(oldSeq)?.position ?? oldSeq;
      this.upsert(batchId, newSeq, { position: oldPosition, rotation: 0 });
      this.upsert(batchId, oldSeq, { deleted: 1 });
    })();
  }

  /** Gives every sheet (separators included) an explicit sort key, so moves are plain swaps of keys. */
  private materialiseOrder(batchId: string, records: ScanPageRecord[]): void {
    const rows = this.rows(batchId);
    const sorted = [...records].sort(
      (a, b) => (rows.get(a.seq)?.position ?? a.seq) - (rows.get(b.seq)?.position ?? b.seq),
    );
    sorted.forEach((record, index) => {
      this.upsert(batchId, record.seq, { position: index + 1 });
    });
  }

  private rows(batchId: string): Map<number, LayoutRow> {
    const rows = this.store.db
      .prepare('SELECT seq, position, rotation, deleted, kind FROM scan_page_layout WHERE batch_id = ?')
      .all(batchId) as LayoutRow[];
    return new Map(rows.map((r) => [r.seq, r]));
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
