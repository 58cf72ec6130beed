import { randomUUID } from 'node:crypto';
import type { AuditLog } from '../audit/audit-log';
import { formatVietnamDateTime } from '../calendar/civil-date';
import { touchDossier } from '../dossier/dossier-rows';
import type { Store } from '../store/store';
import { QualityError } from './quality-error';

export const RESULT_KINDS = ['e-result', 'paper-scan', 'paper'] as const;
export type ResultKind = (typeof RESULT_KINDS)[number];
export const MAX_RESULT_FILE_BYTES = 50 * 1024 * 1024;
const FILE_TYPES: Record<string, string> = {
  'application/pdf': '.pdf',
  'image/jpeg': '.jpg',
  'image/png': '.png',
};

export interface ResultReturnInput {
  dossierId: string;
  /** e-result: the signed electronic original (4.1); paper-scan: the paper result scanned; paper: none. */
  kind: ResultKind;
  file?: { name: string; mimeType: string; bytes: Uint8Array };
}

export interface ResultReturnRecord {
  dossierId: string;
  code: string;
  kind: ResultKind;
  fileSha256: string | null;
  returnedAt: string;
  returnedBy: string;
}

/** TrangThaiHoSo 10: đã trả kết quả. */
export const STATUS_RESULT_RETURNED = 10;

/**
 * Handing the result back to the citizen: the file (when there is one) is stored durably first, then one
 * transaction records the return, the timeline step (status 10) and the audit entry, so a crash leaves either
 * nothing or all of it. A dossier's result is returned once.
 */
export class ResultReturns {
  constructor(
    private readonly store: Store,
    private readonly audit: AuditLog,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async record(input: ResultReturnInput, clerkId: string): Promise<ResultReturnRecord> {
    const { db } = this.store;
    const dossier = db
      .prepare(
        `SELECT d.code, d.received_at, r.returned_at FROM dossiers d
         LEFT JOIN dossier_results r ON r.dossier_id = d.id WHERE d.id = ?`,
      )
      .get(input.dossierId) as
      | { code: string | null; received_at: string | null; returned_at: string | null }
      | undefined;
    if (!dossier) throw new QualityError('dossier-not-found', 'result for an unknown dossier', { code: '' });
    if (!dossier.code || !dossier.received_at)
      throw new QualityError('not-received', 'result for a dossier not received', {
        code: dossier.code ?? '',
      });
    if (dossier.returned_at) throw this.alreadyReturned(dossier.code, dossier.returned_at);
    const file = input.kind === 'paper' ? undefined : input.file;
    const extension = file ? FILE_TYPES[file.mimeType] : undefined;
    if (
      input.kind !== 'paper' &&
      (!file || !extension || file.bytes.byteLength === 0 || file.bytes.byteLength > MAX_RESULT_FILE_BYTES)
    )
      throw new QualityError('bad-result-file', 'result file missing, empty, too large or of another type', {
        maxMb: MAX_RESULT_FILE_BYTES / 1024 / 1024,
      });
    const blob = file && extension ? await this.store.blobs.putAsync(file.bytes, extension) : null;
    const now = this.clock().toISOString();
    const code = dossier.code;
    return db.transaction((): ResultReturnRecord => {
      const again = db
        .prepare('SELECT returned_at FROM dossier_results WHERE dossier_id = ?')
        .get(input.dossierId) as { returned_at: string } | undefined;
      if (again) throw this.alreadyReturned(code, again.returned_at);
      db.prepare(
        `INSERT INTO dossier_results (dossier_id, kind, file_name, mime_type, blob_sha256, blob_ext, bytes, returned_at,
                                      returned_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        input.dossierId,
        input.kind,
        file?.name.slice(0, 255) ?? null,
        file?.mimeType ?? null,
        blob?.sha256 ?? null,
        extension ?? '',
        blob?.bytes ?? null,
        now,
        clerkId,
        now,
      );
      db.prepare(
        `INSERT INTO dossier_timeline_steps (id, dossier_id, at, status, step, clerk_id) VALUES (?, ?, ?, ?, 'result-returned', ?)`,
      ).run(randomUUID(), input.dossierId, now, STATUS_RESULT_RETURNED, clerkId);
      touchDossier(db, input.dossierId, now);
      this.audit.append({
        clerkId,
        action: 'dossier.result-return',
        objects: { dossierId: input.dossierId, code },
        details: { kind: input.kind, bytes: blob?.bytes ?? 0 },
      });
      return {
        dossierId: input.dossierId,
        code,
        kind: input.kind,
        fileSha256: blob?.sha256 ?? null,
        returnedAt: now,
        returnedBy: clerkId,
      };
    })();
  }

  private alreadyReturned(code: string, at: string) {
    return new QualityError('already-returned', 'result already returned', {
      code,
      at: formatVietnamDateTime(new Date(at)),
    });
  }
}
