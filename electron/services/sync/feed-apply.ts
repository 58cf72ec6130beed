/**
 * Applies one page of the change feed in one transaction, idempotently: an entry already applied (by seq)
 * is skipped, progress entries are keyed by content, catalog and holiday imports are upserts by hash and code
 * ranges go through the dossier-code issuer (which refuses overlaps). The cursor is saved in the same
 * transaction, after the entries. One bad entry is recorded as rejected and does not block the feed.
 */
import type { Database } from 'better-sqlite3';
import { loadCalendarData } from '../calendar/holiday-data';
import { saveOfficialTable } from '../calendar/official-tables-store';
import type { ProcedureVersion } from '../catalog/catalog-schema';
import { ProcedureCatalog } from '../catalog/procedure-catalog';
import { DossierCodeIssuer, MAX_SLOTS, SLOT_WIDTH } from '../dossier/dossier-code-issuer';
import { setProvinceStatus } from '../dossier/dossier-rows';
import type { Logger } from '../logging/logger';
import {
  type CatalogChange,
  Change,
  type CodeRangeChange,
  type DossierStatusChange,
  type HolidayTableChange,
} from './protocol';

export interface FeedContext {
  db: Database;
  deviceId: string;
  clock: () => Date;
  logger: Logger;
}

export interface PageOutcome {
  applied: number;
  ignored: number;
  rejected: number;
  skipped: number;
}

type Outcome = { outcome: 'applied' | 'ignored'; detail?: string };

const KNOWN_KINDS = new Set(['dossier-status', 'catalog', 'holidays', 'code-range']);
const MAX_GRANT_DAYS = 62;

function applyStatus(ctx: FeedContext, data: DossierStatusChange): Outcome {
  const { db } = ctx;
  const known = setProvinceStatus(db, {
    id: data.DeskUuid,
    code: data.MaHoSo,
    provinceStatus: data.TrangThaiHoSo,
    finishedAt: data.NgayKetThucXuLy ?? null,
  });
  if (!known) return { outcome: 'ignored', detail: 'unknown dossier' };
  const insert = db.prepare(
    `INSERT OR IGNORE INTO dossier_progress (dossier_id, ma_ho_so, at, status, handler, title, department, content, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const now = ctx.clock().toISOString();
  for (const entry of data.TienTrinh) {
    insert.run(
      data.DeskUuid,
      entry.MaHoSo,
      entry.ThoiDiemXuLy,
      entry.TrangThai,
      entry.NguoiXuLy,
      entry.ChucDanh ?? null,
      entry.PhongBanXuLy ?? null,
      entry.NoiDungXuLy,
      now,
    );
  }
  return { outcome: 'applied' };
}

/** The feed's procedures in the catalog's own shape; what the feed does not carry is kept from the stored version. */
function applyCatalog(ctx: FeedContext, data: CatalogChange): Outcome {
  const catalog = new ProcedureCatalog(ctx.db, { clock: ctx.clock, logger: ctx.logger });
  const procedures = data.procedures.map((p): ProcedureVersion => {
    const stored = catalog.versions(p.MaTTHC).find((v) => v.effectiveFrom === data.effectiveFrom);
    return {
      code: p.MaTTHC,
      version: data.version,
      effectiveFrom: data.effectiveFrom,
      effectiveTo: null,
      name: p.TenTTHC,
      field: {
        ...(p.MaLinhVuc ? { code: p.MaLinhVuc } : {}),
        name: stored?.field.name ?? p.MaLinhVuc ?? 'Chưa phân loại',
      },
      level: stored?.level ?? 'commune',
      processingTime: { amount: p.ThoiHanGiaiQuyet.value, unit: p.ThoiHanGiaiQuyet.unit },
      components: p.ThanhPhanHoSo.map((c) => {
        const before = stored?.components.find((s) => s.code === c.MaThanhPhanHoSo);
        return {
          code: c.MaThanhPhanHoSo,
          name: c.TenThanhPhanHoSo,
          originals: before?.originals ?? 1,
          copies: before?.copies ?? 0,
          required: c.BatBuoc,
          reusableResult: before?.reusableResult ?? false,
          resultOfProcedure: before?.resultOfProcedure ?? null,
        };
      }),
      fees: stored?.fees ?? [],
      forms: stored?.forms ?? ['receipt', 'supplement-request', 'refusal'],
    };
  });
  const result = catalog.importFeed({ source: 'province', procedures });
  return { outcome: 'applied', detail: `inserted ${result.inserted}, updated ${result.updated}` };
}

function toRanges(dates: string[]): { from: string; to: string }[] {
  const sorted = [...new Set(dates)].sort();
  const ranges: { from: string; to: string }[] = [];
  for (const date of sorted) {
    const last = ranges.at(-1);
    const next = last
      ? new Date(Date.parse(`${last.to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
      : null;
    if (last && next === date) last.to = date;
    else ranges.push({ from: date, to: date });
  }
  return ranges;
}

/** The province's yearly table is the whole truth for its year: it replaces every computed holiday. */
function applyHolidays(ctx: FeedContext, data: HolidayTableChange): Outcome {
  const shipped = loadCalendarData();
  const replaces = [...new Set(shipped.ruleSets.flatMap((set) => set.holidays.map((h) => h.id)))];
  const supersedes = shipped.tables.filter((t) => t.year === data.year).map((t) => t.id);
  const changed = saveOfficialTable(
    ctx.db,
    {
      schema: 1,
      kind: 'official-table',
      id: `province-${data.year}`,
      year: data.year,
      title: `${data.source} (${data.version})`,
      source: data.source,
      replaces,
      supersedes,
      daysOff: toRanges(data.daysOff).map((r) => ({ ...r, name: data.source })),
      workingDays: [...new Set(data.workingDays)].sort().map((date) => ({ date, name: data.source })),
    },
    ctx.clock(),
  );
  return { outcome: changed ? 'applied' : 'ignored', detail: changed ? undefined : 'same table' };
}

const dayStamp = (iso: string) => `${iso.slice(2, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}`;

function applyCodeRange(ctx: FeedContext, seq: string, data: CodeRangeChange): Outcome {
  if (data.deviceId !== ctx.deviceId) return { outcome: 'ignored', detail: 'range of another device' };
  const issuer = new DossierCodeIssuer(ctx.db, { agencyCode: data.MaCoQuan, clock: ctx.clock });
  const slot = Math.floor(data.sequenceFrom / SLOT_WIDTH);
  const isSlot =
    data.validTo === null &&
    slot >= 1 &&
    slot < MAX_SLOTS &&
    data.sequenceTo === slot * SLOT_WIDTH + SLOT_WIDTH - 1 &&
    data.sequenceFrom - slot * SLOT_WIDTH <= 1;
  if (isSlot) {
    // The desk's standing slot (k*1000+1 … k*1000+999 every day); k*1000 itself stays unused.
    issuer.enrolDeskSlot(slot, MAX_SLOTS);
    return { outcome: 'applied', detail: `slot ${slot}` };
  }
  if (data.validTo === null) throw new Error('open-ended range that is not a desk slot');
  const first = Math.max(1, data.sequenceFrom);
  let day = data.validFrom;
  for (let i = 0; day <= data.validTo; i++) {
    if (i >= MAX_GRANT_DAYS) throw new Error(`range longer than ${MAX_GRANT_DAYS} days`);
    issuer.grantRange({ grantId: `feed-${seq}-${day}`, day: dayStamp(day), first, last: data.sequenceTo });
    day = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  }
  return { outcome: 'applied', detail: 'day grant' };
}

function applyOne(ctx: FeedContext, change: Change): Outcome {
  switch (change.kind) {
    case 'dossier-status':
      return applyStatus(ctx, change.data);
    case 'catalog':
      return applyCatalog(ctx, change.data);
    case 'holidays':
      return applyHolidays(ctx, change.data);
    case 'code-range':
      return applyCodeRange(ctx, change.seq, change.data);
  }
}

export function applyChangesPage(
  ctx: FeedContext,
  rawChanges: unknown[],
  saveCursor: () => void,
): PageOutcome {
  const { db } = ctx;
  const result: PageOutcome = { applied: 0, ignored: 0, rejected: 0, skipped: 0 };
  const seen = db.prepare('SELECT 1 FROM sync_applied_changes WHERE seq = ?');
  const record = db.prepare(
    'INSERT OR REPLACE INTO sync_applied_changes (seq, kind, outcome, detail, applied_at) VALUES (?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    for (const raw of rawChanges) {
      const envelope = raw as { seq?: unknown; kind?: unknown };
      const seq = typeof envelope?.seq === 'string' && envelope.seq.length <= 64 ? envelope.seq : null;
      const kind = typeof envelope?.kind === 'string' ? envelope.kind.slice(0, 40) : 'unknown';
      if (seq === null) {
        result.rejected += 1;
        ctx.logger.warn('sync.feed.entry-without-seq', { kind });
        continue;
      }
      if (seen.get(seq)) {
        result.skipped += 1;
        continue;
      }
      const now = ctx.clock().toISOString();
      if (!KNOWN_KINDS.has(kind)) {
        // A newer server may send kinds this desk does not know: noted, not fatal.
        record.run(seq, kind, 'ignored', 'unknown kind', now);
        result.ignored += 1;
        continue;
      }
      const parsed = Change.safeParse(raw);
      if (!parsed.success) {
        const detail = parsed.error.issues
          .slice(0, 5)
          .map((i) => `${i.path.join('.')}: ${i.message}`)
          .join('; ');
        record.run(seq, kind, 'rejected', detail.slice(0, 1000), now);
        ctx.logger.warn('sync.feed.entry-invalid', { seq, kind, detail });
        result.rejected += 1;
        continue;
      }
      try {
        // A savepoint per entry: a failing entry leaves no half-applied rows.
        const outcome = db.transaction(() => applyOne(ctx, parsed.data))();
        record.run(seq, kind, outcome.outcome, outcome.detail ?? null, now);
        result[outcome.outcome] += 1;
      } catch (error) {
        const detail = (error as { detail?: string }).detail ?? (error as Error).message;
        record.run(seq, kind, 'rejected', String(detail).slice(0, 1000), now);
        ctx.logger.warn('sync.feed.entry-rejected', { seq, kind, detail: String(detail).slice(0, 300) });
        result.rejected += 1;
      }
    }
    saveCursor();
  })();
  return result;
}
