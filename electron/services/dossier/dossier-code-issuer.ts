import type { Database } from 'better-sqlite3';
import { format, vi } from '../../api/i18n';
import type { AuditLog } from '../audit/audit-log';
import {
  displayDayStamp,
  formatDossierCode,
  isAgencyCode,
  MAX_SEQUENCE,
  normalizeAgencyCode,
  parseDayStamp,
  parseDossierCode,
  vietnamDayStamp,
} from './dossier-code';
import { DossierCodeError } from './dossier-code-errors';

/**
 * Issues dossier codes from the parts of the agency's daily sequence this desk owns.
 *
 * Every desk of an agency shares one daily sequence, and desks work offline, so a desk issues only from
 * ranges reserved for it: its slot (given at enrolment: slot k owns k*1000+1 … k*1000+999 every day) and
 * ranges granted through sync for one day. A code is taken in the same SQLite transaction that records its
 * use (WAL, synchronous FULL): a crash, even kill -9, either keeps both or neither, so a code is never issued
 * twice and never lost. Issued rows are never deleted; a code that will not be used is voided with a reason.
 */

export const SLOT_WIDTH = 1000;
export const MAX_SLOTS = 10;

export interface CodeRange {
  id: number;
  agencyCode: string;
  /** YYMMDD for a one-day grant; null for the desk's slot, valid every day. */
  day: string | null;
  first: number;
  last: number;
  source: 'slot' | 'grant';
  grantId: string | null;
}

export interface IssuedCode {
  code: string;
  agencyCode: string;
  /** YYMMDD on Vietnam's calendar. */
  day: string;
  sequence: number;
  rangeId: number;
  dossierId: string | null;
  clerkId: string;
  issuedAt: string;
  status: 'issued' | 'voided';
  voidReason: string | null;
  voidedBy: string | null;
  voidedAt: string | null;
}

export interface DossierCodeIssuerOptions {
  /** Mã định danh of the receiving agency (desk config `agencyCode`). */
  agencyCode: string;
  clock?: () => Date;
  /** When given, every issue and void is also an audit entry in the same transaction. */
  audit?: AuditLog;
  /** Called once a code has committed: the desk's identity marker records it (store/desk-identity.ts). */
  onIssued?: (issued: IssuedCode) => void;
}

export interface IssueOptions {
  clerkId: string;
  dossierId?: string;
  /** Records the code's use (e.g. sets the dossier's code); runs inside the issuing transaction. */
  recordUse?: (issued: IssuedCode) => void;
}

interface RangeRow {
  id: number;
  agency_code: string;
  day: string | null;
  first_seq: number;
  last_seq: number;
  source: 'slot' | 'grant';
  grant_id: string | null;
}

interface CodeRow {
  code: string;
  agency_code: string;
  day: string;
  seq: number;
  range_id: number;
  dossier_id: string | null;
  clerk_id: string;
  issued_at: string;
  status: 'issued' | 'voided';
  void_reason: string | null;
  voided_by: string | null;
  voided_at: string | null;
}

const toRange = (row: RangeRow): CodeRange => ({
  id: row.id,
  agencyCode: row.agency_code,
  day: row.day,
  first: row.first_seq,
  last: row.last_seq,
  source: row.source,
  grantId: row.grant_id,
});

const toIssued = (row: CodeRow): IssuedCode => ({
  code: row.code,
  agencyCode: row.agency_code,
  day: row.day,
  sequence: row.seq,
  rangeId: row.range_id,
  dossierId: row.dossier_id,
  clerkId: row.clerk_id,
  issuedAt: row.issued_at,
  status: row.status,
  voidReason: row.void_reason,
  voidedBy: row.voided_by,
  voidedAt: row.voided_at,
});

const codesMessages = vi.reception.codes;

export class DossierCodeIssuer {
  readonly agencyCode: string;
  private readonly clock: () => Date;

  constructor(
    private readonly db: Database,
    private readonly options: DossierCodeIssuerOptions,
  ) {
    const agency = normalizeAgencyCode(options.agencyCode);
    if (!isAgencyCode(agency)) {
      throw new DossierCodeError(
        'invalid-agency',
        format(codesMessages.invalidAgency, { value: options.agencyCode }),
        'agency code is not a dotted code',
      );
    }
    this.agencyCode = agency;
    this.clock = options.clock ?? (() => new Date());
  }

  /** The desk's slot k of n (given at enrolment): every day, sequence k*1000+1 … k*1000+999. Idempotent. */
  enrolDeskSlot(slot: number, slots: number): CodeRange {
    const valid =
      Number.isInteger(slot) && Number.isInteger(slots) && slots >= 1 && slots <= MAX_SLOTS && slot >= 0;
    if (!valid || slot >= slots) {
      throw new DossierCodeError(
        'invalid-slot',
        format(codesMessages.invalidSlot, { slot, slots }),
        `slot ${slot} of ${slots} is out of range`,
      );
    }
    const first = slot * SLOT_WIDTH + 1;
    const last = slot * SLOT_WIDTH + SLOT_WIDTH - 1;
    return this.db
      .transaction(() => {
        const existing = this.db
          .prepare(
            `SELECT * FROM dossier_code_ranges WHERE agency_code = ? AND source = 'slot' AND first_seq = ? AND last_seq = ?`,
          )
          .get(this.agencyCode, first, last) as RangeRow | undefined;
        if (existing) return toRange(existing);
        // A second slot would keep the old one issuing after it is handed to another desk.
        const other = this.db
          .prepare(`SELECT first_seq FROM dossier_code_ranges WHERE agency_code = ? AND source = 'slot'`)
          .get(this.agencyCode) as { first_seq: number } | undefined;
        if (other) {
          const enrolled = Math.floor(other.first_seq / SLOT_WIDTH);
          throw new DossierCodeError(
            'already-enrolled',
            format(codesMessages.alreadyEnrolled, { slot: enrolled }),
            `desk already holds slot ${enrolled}, asked for ${slot}`,
          );
        }
        return this.insertRange(null, first, last, 'slot', null);
      })
      .immediate();
  }

  /**
   * A range of one day's sequence granted through sync. Delivering the same grant again changes nothing;
   * a grant that overlaps a range this desk already has is refused (it would allow a duplicate).
   */
  grantRange(grant: { grantId: string; day: string; first: number; last: number }): CodeRange {
    const { grantId, day, first, last } = grant;
    const valid =
      Number.isInteger(first) &&
      Number.isInteger(last) &&
      first >= 1 &&
      last >= first &&
      last <= MAX_SEQUENCE &&
      parseDayStamp(day) !== null &&
      grantId.trim().length > 0;
    if (!valid) {
      throw new DossierCodeError(
        'invalid-range',
        format(codesMessages.invalidRange, { first, last }),
        `bad grant ${grantId} for day ${day}: ${first}-${last}`,
      );
    }
    return this.db
      .transaction(() => {
        const existing = this.db
          .prepare('SELECT * FROM dossier_code_ranges WHERE grant_id = ?')
          .get(grantId) as RangeRow | undefined;
        if (existing) {
          const same = existing.day === day && existing.first_seq === first && existing.last_seq === last;
          if (same && existing.agency_code === this.agencyCode) return toRange(existing);
          throw new DossierCodeError(
            'range-overlap',
            format(codesMessages.rangeOverlap, { first, last }),
            `grant ${grantId} was already received with other bounds`,
          );
        }
        return this.insertRange(day, first, last, 'grant', grantId);
      })
      .immediate();
  }

  ranges(): CodeRange[] {
    const rows = this.db
      .prepare(
        'SELECT * FROM dossier_code_ranges WHERE agency_code = ? ORDER BY day IS NOT NULL, day, first_seq',
      )
      .all(this.agencyCode) as RangeRow[];
    return rows.map(toRange);
  }

  /**
   * Takes the next free number of today's ranges and records it, with `recordUse` and the audit entry, in one
   * transaction. Throws a DossierCodeError (Vietnamese message) when the desk has no range or used them up.
   */
  issue(options: IssueOptions): IssuedCode {
    const issued = this.issueInTransaction(options);
    this.options.onIssued?.(issued);
    return issued;
  }

  private issueInTransaction(options: IssueOptions): IssuedCode {
    return this.db
      .transaction((): IssuedCode => {
        const now = this.clock();
        const day = vietnamDayStamp(now);
        const ranges = this.rangesFor(day);
        if (ranges.length === 0) {
          throw new DossierCodeError(
            'no-range',
            format(codesMessages.noRange, { agency: this.agencyCode }),
            'no code range for this agency',
          );
        }
        const maxInRange = this.db.prepare(
          'SELECT MAX(seq) AS max FROM dossier_codes WHERE agency_code = ? AND day = ? AND seq BETWEEN ? AND ?',
        );
        const floor = this.floor(day);
        for (const range of ranges) {
          const { max } = maxInRange.get(this.agencyCode, day, range.first_seq, range.last_seq) as {
            max: number | null;
          };
          // After the highest number ever taken in the range, voided ones included, and above the day's floor
          // (numbers a lost or older database had issued): never reuse a number.
          const next = Math.max(max ?? range.first_seq - 1, floor, range.first_seq - 1) + 1;
          if (next > range.last_seq) continue;
          const date = parseDayStamp(day);
          if (!date) throw new Error(`bad day stamp ${day}`);
          const issued: IssuedCode = {
            code: formatDossierCode({ agencyCode: this.agencyCode, ...date, sequence: next }),
            agencyCode: this.agencyCode,
            day,
            sequence: next,
            rangeId: range.id,
            dossierId: options.dossierId ?? null,
            clerkId: options.clerkId,
            issuedAt: now.toISOString(),
            status: 'issued',
            voidReason: null,
            voidedBy: null,
            voidedAt: null,
          };
          this.db
            .prepare(
              `INSERT INTO dossier_codes (code, agency_code, day, seq, range_id, dossier_id, clerk_id, issued_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(
              issued.code,
              issued.agencyCode,
              day,
              next,
              range.id,
              issued.dossierId,
              issued.clerkId,
              issued.issuedAt,
            );
          options.recordUse?.(issued);
          this.options.audit?.append({
            clerkId: options.clerkId,
            action: 'dossier-code.issue',
            objects: { code: issued.code, ...(issued.dossierId ? { dossierId: issued.dossierId } : {}) },
          });
          return issued;
        }
        throw new DossierCodeError(
          'range-exhausted',
          format(codesMessages.rangeExhausted, { date: displayDayStamp(day) }),
          `all ${ranges.length} code ranges for ${day} are used up`,
        );
      })
      .immediate();
  }

  /** Marks an issued code as not used, with the reason. The number is never issued again. */
  void(code: string, options: { reason: string; clerkId: string }): IssuedCode {
    const normalized = parseDossierCode(code)?.code ?? code;
    const reason = options.reason.normalize('NFC').replace(/\s+/g, ' ').trim();
    if (!reason) {
      throw new DossierCodeError(
        'void-reason-required',
        format(codesMessages.voidReasonRequired, { code: normalized }),
        'void without a reason',
      );
    }
    return this.db
      .transaction((): IssuedCode => {
        const row = this.db.prepare('SELECT * FROM dossier_codes WHERE code = ?').get(normalized) as
          | CodeRow
          | undefined;
        if (!row) {
          throw new DossierCodeError(
            'unknown-code',
            format(codesMessages.unknownCode, { code: normalized }),
            'void of a code this desk did not issue',
          );
        }
        if (row.status === 'voided') {
          throw new DossierCodeError(
            'already-voided',
            format(codesMessages.alreadyVoided, { code: normalized }),
            'code already voided',
          );
        }
        const at = this.clock().toISOString();
        this.db
          .prepare(
            `UPDATE dossier_codes SET status = 'voided', void_reason = ?, voided_by = ?, voided_at = ? WHERE code = ?`,
          )
          .run(reason, options.clerkId, at, normalized);
        this.options.audit?.append({
          clerkId: options.clerkId,
          action: 'dossier-code.void',
          objects: { code: normalized, ...(row.dossier_id ? { dossierId: row.dossier_id } : {}) },
        });
        return toIssued({
          ...row,
          status: 'voided',
          void_reason: reason,
          voided_by: options.clerkId,
          voided_at: at,
        });
      })
      .immediate();
  }

  get(code: string): IssuedCode | null {
    const normalized = parseDossierCode(code)?.code ?? code;
    const row = this.db.prepare('SELECT * FROM dossier_codes WHERE code = ?').get(normalized) as
      | CodeRow
      | undefined;
    return row ? toIssued(row) : null;
  }

  /** Codes issued by this desk, oldest first; `day` (YYMMDD) narrows to one day. */
  issued(day?: string): IssuedCode[] {
    const rows = (
      day
        ? this.db
            .prepare('SELECT * FROM dossier_codes WHERE agency_code = ? AND day = ? ORDER BY day, seq')
            .all(this.agencyCode, day)
        : this.db
            .prepare('SELECT * FROM dossier_codes WHERE agency_code = ? ORDER BY day, seq')
            .all(this.agencyCode)
    ) as CodeRow[];
    return rows.map(toIssued);
  }

  /** How many numbers today's ranges still hold (for a "running low" warning and sync requests). */
  remainingToday(): number {
    const day = vietnamDayStamp(this.clock());
    let remaining = 0;
    for (const range of this.rangesFor(day)) {
      const { max } = this.db
        .prepare(
          'SELECT MAX(seq) AS max FROM dossier_codes WHERE agency_code = ? AND day = ? AND seq BETWEEN ? AND ?',
        )
        .get(this.agencyCode, day, range.first_seq, range.last_seq) as { max: number | null };
      remaining += Math.max(0, range.last_seq - Math.max(max ?? range.first_seq - 1, this.floor(day)));
    }
    return remaining;
  }

  /** The day's floor (0 when none): numbers up to it may have been issued by a database this desk lost. */
  private floor(day: string): number {
    const row = this.db
      .prepare('SELECT floor_seq AS seq FROM dossier_code_floors WHERE agency_code = ? AND day = ?')
      .get(this.agencyCode, day) as { seq: number } | undefined;
    return row?.seq ?? 0;
  }

  private rangesFor(day: string): RangeRow[] {
    return this.db
      .prepare(
        'SELECT * FROM dossier_code_ranges WHERE agency_code = ? AND (day IS NULL OR day = ?) ORDER BY first_seq, id',
      )
      .all(this.agencyCode, day) as RangeRow[];
  }

  private insertRange(
    day: string | null,
    first: number,
    last: number,
    source: 'slot' | 'grant',
    grantId: string | null,
  ): CodeRange {
    // A standing slot meets every day's grants; a grant meets the slots and that day's grants.
    const overlapping = this.db
      .prepare(
        `SELECT id FROM dossier_code_ranges
         WHERE agency_code = ? AND first_seq <= ? AND last_seq >= ? AND (? IS NULL OR day IS NULL OR day = ?)`,
      )
      .get(this.agencyCode, last, first, day, day);
    if (overlapping) {
      throw new DossierCodeError(
        'range-overlap',
        format(codesMessages.rangeOverlap, { first, last }),
        `range ${first}-${last} (${day ?? 'every day'}) overlaps range ${(overlapping as { id: number }).id}`,
      );
    }
    const result = this.db
      .prepare(
        `INSERT INTO dossier_code_ranges (agency_code, day, first_seq, last_seq, source, grant_id, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(this.agencyCode, day, first, last, source, grantId, this.clock().toISOString());
    return {
      id: Number(result.lastInsertRowid),
      agencyCode: this.agencyCode,
      day,
      first,
      last,
      source,
      grantId,
    };
  }
}
