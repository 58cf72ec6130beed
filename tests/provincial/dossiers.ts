/** Dossier upsert (idempotent by desk UUID), commit, and the server record returned by both. */
import {
  type DossierPayload,
  type DossierRecord,
  type DossierStatusChange,
  dossierContentSha256,
  formatNationalDateTime,
} from '../../electron/services/sync/protocol';
import {
  appendChange,
  type CitizenDocumentRow,
  type DeviceRow,
  type DossierRow,
  getDossier,
  getDossierFiles,
} from './db';
import { ApiError } from './http-io';
import type { ServerState } from './state';

/** A progress entry as the province records it; MaHoSo is filled in from the dossier. */
export type ProgressInput = {
  NguoiXuLy: string;
  ChucDanh?: string;
  ThoiDiemXuLy: string;
  PhongBanXuLy?: string;
  NoiDungXuLy: string;
  TrangThai: number;
};

export function dossierRecord(state: ServerState, row: DossierRow): DossierRecord {
  return {
    DeskUuid: row.desk_uuid,
    MaHoSo: row.ma_ho_so,
    MaTTHC: row.ma_tthc,
    TrangThaiHoSo: row.status,
    contentSha256: row.content_sha256,
    revision: row.revision,
    committed: row.committed_at !== null,
    committedAt: row.committed_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    files: getDossierFiles(state.db, row.desk_uuid).map((f) => ({
      TepDinhKemId: f.file_id,
      TenTepDinhKem: f.name,
      MaThanhPhanHoSo: f.component_code,
      Sha256: f.sha256,
      Bytes: f.bytes,
      received: f.received_at !== null,
    })),
  };
}

/** Which fields differ: top-level names, and `TaiLieuNop[i].Field` inside the file list. */
export function payloadDifferences(before: DossierPayload, after: DossierPayload): string[] {
  const differences: string[] = [];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]) as Set<keyof DossierPayload>;
  for (const key of [...keys].sort()) {
    if (key === 'TaiLieuNop') continue;
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) differences.push(key);
  }
  const a = before.TaiLieuNop;
  const b = after.TaiLieuNop;
  if (a.length !== b.length) differences.push('TaiLieuNop.length');
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const fa = a[i] as Record<string, unknown>;
    const fb = b[i] as Record<string, unknown>;
    for (const k of new Set([...Object.keys(fa), ...Object.keys(fb)])) {
      if (JSON.stringify(fa[k]) !== JSON.stringify(fb[k])) differences.push(`TaiLieuNop[${i}].${k}`);
    }
  }
  return differences;
}

export function upsertDossier(
  state: ServerState,
  device: DeviceRow,
  pathUuid: string,
  payload: DossierPayload,
): DossierRecord {
  if (payload.DeskUuid !== pathUuid) {
    throw new ApiError(400, 'bad-request', 'DeskUuid in the body differs from the one in the path');
  }
  const { db } = state;
  const contentSha256 = dossierContentSha256(payload);
  return db.transaction((): DossierRecord => {
    const existing = getDossier(db, pathUuid);
    if (existing && existing.device_id !== device.id) {
      throw new ApiError(409, 'dossier-owned-by-other-device', 'this DeskUuid belongs to another device', {
        DeskUuid: pathUuid,
      });
    }
    // Same content: the same answer, whatever state the dossier is in (a retry after a lost response).
    if (existing && existing.content_sha256 === contentSha256) return dossierRecord(state, existing);
    if (existing?.committed_at) {
      const before = JSON.parse(existing.payload_json) as DossierPayload;
      throw new ApiError(409, 'dossier-conflict', 'dossier was committed with different content', {
        DeskUuid: pathUuid,
        MaHoSo: existing.ma_ho_so,
        differences: payloadDifferences(before, payload),
        serverContentSha256: existing.content_sha256,
        requestContentSha256: contentSha256,
        committedAt: existing.committed_at,
      });
    }
    const codeOwner = db
      .prepare('SELECT desk_uuid FROM dossiers WHERE ma_ho_so = ? AND desk_uuid != ?')
      .get(payload.MaHoSo, pathUuid) as { desk_uuid: string } | undefined;
    if (codeOwner) {
      throw new ApiError(409, 'dossier-code-taken', 'MaHoSo is already used by another dossier', {
        DeskUuid: pathUuid,
        MaHoSo: payload.MaHoSo,
      });
    }

    const now = state.clock().toISOString();
    if (existing) {
      db.prepare(
        `UPDATE dossiers SET ma_ho_so = ?, ma_tthc = ?, status = ?, payload_json = ?, content_sha256 = ?,
           revision = revision + 1, updated_at = ? WHERE desk_uuid = ?`,
      ).run(
        payload.MaHoSo,
        payload.MaTTHC,
        payload.TrangThaiHoSo,
        JSON.stringify(payload),
        contentSha256,
        now,
        pathUuid,
      );
    } else {
      db.prepare(
        `INSERT INTO dossiers (desk_uuid, device_id, ma_ho_so, ma_tthc, status, payload_json, content_sha256,
           revision, committed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, NULL, ?, ?)`,
      ).run(
        pathUuid,
        device.id,
        payload.MaHoSo,
        payload.MaTTHC,
        payload.TrangThaiHoSo,
        JSON.stringify(payload),
        contentSha256,
        now,
        now,
      );
    }

    // Files: a file keeps its received state only while its declared SHA-256 stays the same.
    const previous = new Map(getDossierFiles(db, pathUuid).map((f) => [f.file_id, f]));
    db.prepare('DELETE FROM dossier_files WHERE desk_uuid = ?').run(pathUuid);
    const insert = db.prepare(
      `INSERT INTO dossier_files (desk_uuid, file_id, position, name, component_code, sha256, bytes, received_at, stored_path)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const findStoreDocument = db.prepare('SELECT * FROM citizen_documents WHERE id = ?');
    payload.TaiLieuNop.forEach((file, position) => {
      const before = previous.get(file.TepDinhKemId);
      let receivedAt = before && before.sha256 === file.Sha256 ? before.received_at : null;
      let storedPath = receivedAt ? (before?.stored_path ?? null) : null;
      if (!receivedAt && file.MaTaiLieuKho) {
        // Once-only: a document the province already holds needs no upload when its bytes are the same.
        const doc = findStoreDocument.get(file.MaTaiLieuKho) as CitizenDocumentRow | undefined;
        if (doc && doc.sha256 === file.Sha256 && doc.bytes === file.Bytes) {
          receivedAt = now;
          storedPath = `citizen-document:${doc.id}`;
        }
      }
      insert.run(
        pathUuid,
        file.TepDinhKemId,
        position,
        file.TenTepDinhKem,
        file.MaThanhPhanHoSo,
        file.Sha256,
        file.Bytes,
        receivedAt,
        storedPath,
      );
    });
    const row = getDossier(db, pathUuid) as DossierRow;
    return dossierRecord(state, row);
  })();
}

export function commitDossier(
  state: ServerState,
  device: DeviceRow,
  deskUuid: string,
  contentSha256: string,
): DossierRecord {
  const { db } = state;
  return db.transaction((): DossierRecord => {
    const row = getDossier(db, deskUuid);
    if (!row || row.device_id !== device.id) throw new ApiError(404, 'not-found', 'no such dossier');
    if (row.content_sha256 !== contentSha256) {
      throw new ApiError(409, 'dossier-conflict', 'the server holds different content for this dossier', {
        DeskUuid: deskUuid,
        MaHoSo: row.ma_ho_so,
        serverContentSha256: row.content_sha256,
        requestContentSha256: contentSha256,
        committedAt: row.committed_at,
      });
    }
    if (row.committed_at) return dossierRecord(state, row);
    const missing = getDossierFiles(db, deskUuid).filter((f) => f.received_at === null);
    if (missing.length > 0) {
      throw new ApiError(409, 'files-missing', `${missing.length} declared file(s) not yet uploaded`, {
        missing: missing.map((f) => ({ TepDinhKemId: f.file_id, TenTepDinhKem: f.name })),
      });
    }
    const now = state.clock();
    db.prepare('UPDATE dossiers SET committed_at = ?, updated_at = ? WHERE desk_uuid = ?').run(
      now.toISOString(),
      now.toISOString(),
      deskUuid,
    );
    const change: DossierStatusChange = {
      DeskUuid: deskUuid,
      MaHoSo: row.ma_ho_so,
      TrangThaiHoSo: row.status,
      TienTrinh: [
        {
          MaHoSo: row.ma_ho_so,
          NguoiXuLy: 'Hệ thống thông tin giải quyết TTHC tỉnh',
          ThoiDiemXuLy: formatNationalDateTime(now),
          NoiDungXuLy: 'Đã nhận đủ hồ sơ và tệp đính kèm từ bàn tiếp nhận',
          TrangThai: row.status,
        },
      ],
    };
    appendChange(db, 'dossier-status', change, row.device_id, now);
    state.logger.info('dossier.committed', { dossier: deskUuid, device: device.id });
    return dossierRecord(state, getDossier(db, deskUuid) as DossierRow);
  })();
}

/** A status change made "in the province" (admin endpoint): recorded and put in the owner's change feed. */
export function pushDossierStatus(
  state: ServerState,
  deskUuid: string,
  update: { TrangThaiHoSo: number; NgayKetThucXuLy?: string; TienTrinh?: ProgressInput[] },
): number {
  const { db } = state;
  return db.transaction((): number => {
    const row = getDossier(db, deskUuid);
    if (!row) throw new ApiError(404, 'not-found', 'no such dossier');
    const now = state.clock();
    db.prepare('UPDATE dossiers SET status = ?, updated_at = ? WHERE desk_uuid = ?').run(
      update.TrangThaiHoSo,
      now.toISOString(),
      deskUuid,
    );
    const change: DossierStatusChange = {
      DeskUuid: deskUuid,
      MaHoSo: row.ma_ho_so,
      TrangThaiHoSo: update.TrangThaiHoSo,
      ...(update.NgayKetThucXuLy ? { NgayKetThucXuLy: update.NgayKetThucXuLy } : {}),
      TienTrinh: (update.TienTrinh ?? []).map((entry) => ({ ...entry, MaHoSo: row.ma_ho_so })),
    };
    return appendChange(db, 'dossier-status', change, row.device_id, now);
  })();
}
