/**
 * Reception's tables: the components and files of a dossier, its stored forms, its outbox row. The dossier
 * row itself belongs to `dossier/dossier-rows.ts`; reception reads and changes it only through there.
 */
import type { Database } from 'better-sqlite3';
import type { ApplicantInput, DossierStatus, ReceptionComponentView } from '../../api/desk-api';
import { format, vi } from '../../api/i18n';
import { type DossierRow, readDossier } from '../dossier/dossier-rows';
import { ReceptionError } from './types';

const t = vi.reception.workflow;

export type { DossierRow } from '../dossier/dossier-rows';

export type DeskForm = 'receipt' | 'supplement' | 'refusal';

export interface ComponentRow {
  component_code: string;
  name: string;
  required: number;
  position: number;
  status: 'missing' | 'scanned' | 'reused';
  reused_json: string | null;
  pages: number | null;
}

/** A dossier_files row as it is written (the dossier and component come from the caller). */
export interface FileRecord {
  id: string;
  file_name: string;
  mime_type: string;
  blob_sha256: string;
  blob_ext: string;
  bytes: number;
  page_count: number | null;
  source: 'scan' | 'reused-desk' | 'reused-province';
  source_batch_id: string | null;
  reused_file_id: string | null;
  store_document_id: string | null;
  created_at: string;
}

/** States in which the dossier's components may still change. */
export const OPEN: readonly DossierStatus[] = ['draft', 'supplement-requested'];

export function requireDossier(db: Database, dossierId: string): DossierRow {
  const row = readDossier(db, dossierId);
  if (!row) throw new ReceptionError('not-found', t.dossierNotFound, 'no such reception dossier');
  return row;
}

/** The dossier, if its components may still change (draft or waiting for a supplement). */
export function requireOpenDossier(db: Database, dossierId: string): DossierRow {
  const row = requireDossier(db, dossierId);
  if (!OPEN.includes(row.status)) throw notDraft(row);
  return row;
}

export function notDraft(row: DossierRow): ReceptionError {
  const message = row.status === 'refused' ? t.alreadyClosed : t.notDraft;
  return new ReceptionError(
    'conflict',
    format(message, { code: row.code ?? '' }),
    `dossier is ${row.status}`,
  );
}

export function unknownComponent(code: string): ReceptionError {
  return new ReceptionError('invalid-input', format(t.unknownComponent, { code }), 'unknown component code');
}

/** The applicant as the forms print them. */
export function personOf(row: DossierRow) {
  const extras = row.applicant_json ? (JSON.parse(row.applicant_json) as Partial<ApplicantInput>) : {};
  return {
    name: row.applicant_name,
    address: extras.address ?? '',
    phone: extras.phone ?? '',
    email: extras.email ?? '',
  };
}

export function componentRows(db: Database, dossierId: string): ComponentRow[] {
  return db
    .prepare(
      `SELECT c.component_code, c.name, c.required, c.position, c.status, c.reused_json,
              (SELECT SUM(page_count) FROM dossier_files f
                WHERE f.dossier_id = c.dossier_id AND f.component_code = c.component_code) AS pages
       FROM dossier_components c WHERE c.dossier_id = ? ORDER BY c.position`,
    )
    .all(dossierId) as ComponentRow[];
}

export function insertComponents(
  db: Database,
  dossierId: string,
  components: readonly { code: string; name: string; required: boolean }[],
): void {
  const insert = db.prepare(
    `INSERT INTO dossier_components (dossier_id, component_code, name, required, position)
     VALUES (?, ?, ?, ?, ?)`,
  );
  components.forEach((c, i) => {
    insert.run(dossierId, c.code, c.name, c.required ? 1 : 0, i + 1);
  });
}

/** The component's files are replaced by this one. */
export function replaceFiles(db: Database, dossierId: string, componentCode: string, file: FileRecord): void {
  db.prepare('DELETE FROM dossier_files WHERE dossier_id = ? AND component_code = ?').run(
    dossierId,
    componentCode,
  );
  db.prepare(
    `INSERT INTO dossier_files (id, dossier_id, component_code, file_name, mime_type, blob_sha256, blob_ext,
       bytes, page_count, source, source_batch_id, reused_file_id, store_document_id, created_at)
     VALUES (@id, @dossier_id, @component_code, @file_name, @mime_type, @blob_sha256, @blob_ext, @bytes,
       @page_count, @source, @source_batch_id, @reused_file_id, @store_document_id, @created_at)`,
  ).run({ ...file, dossier_id: dossierId, component_code: componentCode });
}

export function setComponent(
  db: Database,
  dossierId: string,
  componentCode: string,
  status: ReceptionComponentView['status'],
  reusedFrom: ReceptionComponentView['reusedFrom'],
): void {
  db.prepare(
    'UPDATE dossier_components SET status = ?, reused_json = ? WHERE dossier_id = ? AND component_code = ?',
  ).run(status, reusedFrom ? JSON.stringify(reusedFrom) : null, dossierId, componentCode);
}

export function queueForSync(db: Database, dossierId: string, at: string): void {
  db.prepare(`INSERT INTO outbox (dossier_id, kind, created_at, updated_at) VALUES (?, 'dossier', ?, ?)`).run(
    dossierId,
    at,
    at,
  );
}

export function storedFormSha256(db: Database, dossierId: string, form: DeskForm): string | undefined {
  const stored = db
    .prepare('SELECT blob_sha256 FROM dossier_forms WHERE dossier_id = ? AND form = ?')
    .get(dossierId, form) as { blob_sha256: string } | undefined;
  return stored?.blob_sha256;
}

export function upsertForm(
  db: Database,
  form: { dossierId: string; form: DeskForm; sha256: string; version: string; at: string },
): void {
  db.prepare(
    `INSERT INTO dossier_forms (dossier_id, form, blob_sha256, template_version, created_at)
     VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (dossier_id, form) DO UPDATE SET blob_sha256 = excluded.blob_sha256,
       template_version = excluded.template_version, created_at = excluded.created_at`,
  ).run(form.dossierId, form.form, form.sha256, form.version, form.at);
}
