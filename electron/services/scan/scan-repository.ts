import type { Database } from 'better-sqlite3';
import type { Store } from '../store/store';
import type { ScanErrorCode } from './errors';
import { parseScanSettings } from './settings';
import type { ScannerDevice, ScanSettings } from './types';

export type BatchStatus = 'scanning' | 'interrupted' | 'done' | 'discarded';

export interface ScanBatch {
  id: string;
  dossierId: string | null;
  driver: string;
  deviceId: string;
  deviceVendor: string;
  deviceModel: string;
  settings: ScanSettings;
  status: BatchStatus;
  lastError: ScanErrorCode | null;
  pageCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface ScanPageRecord {
  batchId: string;
  seq: number;
  sha256: string;
  fileExt: string;
  bytes: number;
  width: number;
  height: number;
  channels: 1 | 3;
  depth: 1 | 8;
  dpi: number;
  captureMs: number | null;
  capturedAt: string;
}

/** The batch columns named as ScanBatch names them (SQL aliases, no mapping code); settings stay JSON here. */
type BatchRow = Omit<ScanBatch, 'settings'> & { settingsJson: string };

const BATCH_SELECT = `
  SELECT b.id, b.dossier_id AS dossierId, b.driver, b.device_id AS deviceId, b.device_vendor AS deviceVendor,
    b.device_model AS deviceModel, b.settings_json AS settingsJson, b.status, b.last_error AS lastError,
    (SELECT COUNT(*) FROM scan_pages p WHERE p.batch_id = b.id) AS pageCount,
    b.created_at AS createdAt, b.updated_at AS updatedAt
  FROM scan_batches b`;

const toBatch = ({ settingsJson, ...batch }: BatchRow): ScanBatch => ({
  ...batch,
  settings: parseScanSettings(settingsJson),
});

/** The page columns named as ScanPageRecord names them. */
const PAGE_COLUMNS = `batch_id AS batchId, seq, sha256, file_ext AS fileExt, bytes, width, height, channels, depth,
  dpi, capture_ms AS captureMs, captured_at AS capturedAt`;

/** Batches and their pages in SQLite. Each call is one autocommitted statement (synchronous = FULL). */
export class ScanRepository {
  private readonly db: Database;

  constructor(
    store: Store,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.db = store.db;
  }

  private now(): string {
    return this.clock().toISOString();
  }

  createBatch(input: {
    id: string;
    device: ScannerDevice;
    settings: ScanSettings;
    dossierId?: string | null;
  }): ScanBatch {
    const now = this.now();
    this.db
      .prepare(
        `INSERT INTO scan_batches (id, dossier_id, driver, device_id, device_vendor, device_model, settings_json,
           status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'scanning', ?, ?)`,
      )
      .run(
        input.id,
        input.dossierId ?? null,
        input.device.driver,
        input.device.id,
        input.device.vendor,
        input.device.model,
        JSON.stringify(input.settings),
        now,
        now,
      );
    return this.batch(input.id) as ScanBatch;
  }

  batch(id: string): ScanBatch | null {
    const row = this.db.prepare(`${BATCH_SELECT} WHERE b.id = ?`).get(id) as BatchRow | undefined;
    return row ? toBatch(row) : null;
  }

  /** Batches not finished: still 'scanning' (a crash left them so) or 'interrupted'; oldest first. */
  unfinishedBatches(): ScanBatch[] {
    const rows = this.db
      .prepare(`${BATCH_SELECT} WHERE b.status IN ('scanning', 'interrupted') ORDER BY b.created_at, b.id`)
      .all() as BatchRow[];
    return rows.map(toBatch);
  }

  setStatus(id: string, status: BatchStatus, lastError: ScanErrorCode | null = null): void {
    this.db
      .prepare('UPDATE scan_batches SET status = ?, last_error = ?, updated_at = ? WHERE id = ?')
      .run(status, lastError, this.now(), id);
  }

  /** Marks a batch as scanning again, on whichever device id the scanner has now. */
  reopen(id: string, deviceId: string): void {
    this.db
      .prepare(
        `UPDATE scan_batches SET status = 'scanning', last_error = NULL, device_id = ?, updated_at = ? WHERE id = ?`,
      )
      .run(deviceId, this.now(), id);
  }

  nextSeq(batchId: string): number {
    const row = this.db.prepare('SELECT MAX(seq) AS seq FROM scan_pages WHERE batch_id = ?').get(batchId) as {
      seq: number | null;
    };
    return (row.seq ?? 0) + 1;
  }

  /** Records a page whose file is already durable. */
  addPage(page: Omit<ScanPageRecord, 'capturedAt'>): ScanPageRecord {
    const capturedAt = this.now();
    this.db
      .prepare(
        `INSERT INTO scan_pages (batch_id, seq, sha256, file_ext, bytes, width, height, channels, depth, dpi,
           capture_ms, captured_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        page.batchId,
        page.seq,
        page.sha256,
        page.fileExt,
        page.bytes,
        page.width,
        page.height,
        page.channels,
        page.depth,
        page.dpi,
        page.captureMs,
        capturedAt,
      );
    return { ...page, capturedAt };
  }

  pages(batchId: string): ScanPageRecord[] {
    return this.db
      .prepare(`SELECT ${PAGE_COLUMNS} FROM scan_pages WHERE batch_id = ? ORDER BY seq`)
      .all(batchId) as ScanPageRecord[];
  }
}
