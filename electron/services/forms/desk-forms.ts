import { z } from 'zod';
import { format, vi } from '../../api/i18n';
import { formatVietnamDateTime } from '../calendar/civil-date';
import type { ProcedureVersion } from '../catalog/catalog-schema';
import { parseDossierCode, vietnamYmd } from '../dossier/dossier-code';
import { FormError } from './errors';
import { type RenderedForm, type RenderOptions, renderForm } from './render-form';

/**
 * The three forms the desk prints (Circular 01/2018 fields, renumbered by Circular 03/2025):
 * Giấy tiếp nhận hồ sơ và hẹn trả kết quả, Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ, Phiếu từ chối tiếp nhận.
 * Each validates its data (Vietnamese message for the clerk), then fills the template in force that day.
 */

const clean = (text: string) => text.normalize('NFC').replace(/\s+/g, ' ').trim();
const required = z.string().transform(clean).pipe(z.string().min(1, 'bắt buộc').max(2000));
const optional = z
  .string()
  .optional()
  .transform((v) => (v ? clean(v) : ''));

const personSchema = z.object({ name: required, address: optional, phone: optional, email: optional });
const officerSchema = z.object({ name: required, title: optional, phone: optional });
const instant = z.date().refine((d) => !Number.isNaN(d.getTime()), 'ngày giờ không hợp lệ');

export const receiptInputSchema = z
  .object({
    agencyName: required,
    /** Địa danh on the date line, e.g. "Quảng Phú". */
    place: optional,
    dossierCode: required,
    applicant: personSchema,
    procedure: z.object({
      code: required,
      name: required,
      processingTime: z
        .object({ amount: z.number().positive(), unit: z.enum(['working-days', 'days', 'hours']) })
        .optional(),
    }),
    components: z
      .array(
        z.object({
          name: required,
          originals: z.number().int().min(0).max(99),
          copies: z.number().int().min(0).max(99),
        }),
      )
      .min(1, 'cần ít nhất một thành phần hồ sơ'),
    sets: z.number().int().min(1).max(99).default(1),
    receivedAt: instant,
    /** The appointment (ngày hẹn trả), from the calendar service. */
    dueAt: instant,
    /** Where the result is collected (nơi trả kết quả). */
    collectAt: required,
    /** Tracking-book entry (Sổ theo dõi hồ sơ), e.g. "Quyển số 01, số thứ tự 125". */
    trackingBook: optional,
    officer: officerSchema,
  })
  .refine((r) => r.dueAt.getTime() >= r.receivedAt.getTime(), {
    message: 'ngày hẹn trả ở trước thời điểm tiếp nhận',
    path: ['dueAt'],
  });

export type ReceiptInput = z.input<typeof receiptInputSchema>;

export const supplementInputSchema = z.object({
  agencyName: required,
  place: optional,
  dossierCode: required,
  applicant: personSchema,
  /** Items to add, by component code of the procedure's official list; counts default to the catalog's. */
  items: z
    .array(
      z.object({
        componentCode: z.string().min(1),
        originals: z.number().int().min(0).max(99).optional(),
        copies: z.number().int().min(0).max(99).optional(),
        note: optional,
      }),
    )
    .max(200),
  reason: required,
  requestedAt: instant,
  officer: officerSchema,
  /** 1 for the dossier's first supplement request, 2 for the second … (see SupplementRegister). */
  ordinal: z.number().int().min(1).max(99),
});

export type SupplementInput = z.input<typeof supplementInputSchema>;

export const refusalInputSchema = z.object({
  agencyName: required,
  place: optional,
  /** The dossier code when one was issued; a dossier refused at the counter may have none. */
  dossierCode: optional,
  applicant: personSchema,
  procedure: z.object({ code: required, name: required }),
  /** The specific reason (lý do cụ thể). */
  reason: z.string().transform(clean),
  refusedAt: instant,
  officer: officerSchema,
});

export type RefusalInput = z.input<typeof refusalInputSchema>;

function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const detail = parsed.error.issues
    .slice(0, 4)
    .map((i) => `${i.path.join('.') || 'dữ liệu'}: ${i.message}`)
    .join('; ');
  throw new FormError('invalid-input', format(vi.reception.forms.invalidInput, { detail }), detail);
}

function checkedCode(text: string): string {
  const parsed = parseDossierCode(text);
  if (!parsed) {
    throw new FormError(
      'invalid-input',
      format(vi.reception.codes.unparsable, { value: text }),
      'dossier code does not parse',
    );
  }
  return parsed.code;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** Values every form shares: the date line and the day used to choose the template version. */
function dateValues(at: Date, place: string): { values: Record<string, string>; day: string } {
  const { year, month, day } = vietnamYmd(at);
  return {
    values: {
      placePrefix: place ? `${place}, ` : '',
      day: pad2(day),
      month: pad2(month),
      year: String(year),
    },
    day: `${year}-${pad2(month)}-${pad2(day)}`,
  };
}

function personValues(p: z.output<typeof personSchema>, o: z.output<typeof officerSchema>) {
  return {
    applicantName: p.name,
    applicantAddress: p.address,
    applicantPhone: p.phone,
    applicantEmail: p.email,
    officerName: o.name,
    officerTitle: o.title,
    officerPhone: o.phone,
  };
}

/** Giấy tiếp nhận hồ sơ và hẹn trả kết quả (A5): code + QR, applicant, components, times, officer. */
export async function renderReceipt(input: ReceiptInput, options: RenderOptions = {}): Promise<RenderedForm> {
  const data = parseInput(receiptInputSchema, input);
  const code = checkedCode(data.dossierCode);
  const dates = dateValues(data.receivedAt, data.place);
  const time = data.procedure.processingTime;
  return renderForm(
    'receipt',
    dates.day,
    {
      values: {
        ...dates.values,
        ...personValues(data.applicant, data.officer),
        agencyName: data.agencyName,
        dossierCode: code,
        procedureCode: data.procedure.code,
        procedureName: data.procedure.name,
        processingTime: time ? `${time.amount} ${vi.calendar.units[time.unit]}` : '',
        sets: String(data.sets),
        receivedAt: formatVietnamDateTime(data.receivedAt),
        dueAt: formatVietnamDateTime(data.dueAt),
        collectAt: data.collectAt,
        trackingBook: data.trackingBook,
      },
      lists: {
        components: data.components.map((c, i) => ({
          index: String(i + 1),
          name: c.name,
          originals: String(c.originals),
          copies: String(c.copies),
        })),
      },
    },
    options,
  );
}

export interface SupplementForm extends RenderedForm {
  /** Under Decision 766 a dossier with more than one supplement request counts as overdue. */
  countsAsOverdue: boolean;
  /** Vietnamese warnings for the clerk (e.g. the repeated request). */
  warnings: string[];
}

/**
 * Checks supplement items against the procedure's official component list: only those may be asked for,
 * each once. Returns the table rows, with the catalog's names and counts.
 */
export function supplementRows(
  procedure: ProcedureVersion,
  items: z.output<typeof supplementInputSchema>['items'],
): Record<string, string>[] {
  if (items.length === 0)
    throw new FormError('no-items', vi.reception.forms.noItems, 'supplement request without items');
  const seen = new Set<string>();
  return items.map((item, i) => {
    const component = procedure.components.find((c) => c.code === item.componentCode);
    if (!component) {
      throw new FormError(
        'unknown-component',
        format(vi.reception.forms.unknownComponent, { item: item.componentCode, procedure: procedure.code }),
        `component ${item.componentCode} is not in procedure ${procedure.code} version ${procedure.version}`,
      );
    }
    if (seen.has(component.code)) {
      throw new FormError(
        'duplicate-item',
        format(vi.reception.forms.duplicateItem, { item: component.name }),
        `component ${component.code} listed twice`,
      );
    }
    seen.add(component.code);
    return {
      index: String(i + 1),
      name: component.name,
      originals: String(item.originals ?? component.originals),
      copies: String(item.copies ?? component.copies),
      note: item.note,
    };
  });
}

/** Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (A4); a second request is flagged (Decision 766: overdue). */
export async function renderSupplementRequest(
  procedure: ProcedureVersion,
  input: SupplementInput,
  options: RenderOptions = {},
): Promise<SupplementForm> {
  const data = parseInput(supplementInputSchema, input);
  const code = checkedCode(data.dossierCode);
  const rows = supplementRows(procedure, data.items);
  const dates = dateValues(data.requestedAt, data.place);
  const repeated = data.ordinal >= 2;
  const rendered = await renderForm(
    'supplement-request',
    dates.day,
    {
      values: {
        ...dates.values,
        ...personValues(data.applicant, data.officer),
        agencyName: data.agencyName,
        dossierCode: code,
        procedureCode: procedure.code,
        procedureName: procedure.name,
        reason: data.reason,
        ordinal: String(data.ordinal),
        requestedAt: formatVietnamDateTime(data.requestedAt),
      },
      flags: { repeatedSupplement: repeated, officerPhone: Boolean(data.officer.phone) },
      lists: { items: rows },
    },
    options,
  );
  return {
    ...rendered,
    countsAsOverdue: repeated,
    warnings: repeated
      ? [format(vi.reception.forms.repeatedSupplement, { ordinal: data.ordinal, code })]
      : [],
  };
}

/** Phiếu từ chối tiếp nhận, giải quyết hồ sơ (A4) with the specific reason. */
export async function renderRefusal(input: RefusalInput, options: RenderOptions = {}): Promise<RenderedForm> {
  const data = parseInput(refusalInputSchema, input);
  if (!data.reason)
    throw new FormError('reason-required', vi.reception.forms.reasonRequired, 'refusal without a reason');
  const code = data.dossierCode ? checkedCode(data.dossierCode) : '';
  const dates = dateValues(data.refusedAt, data.place);
  return renderForm(
    'refusal',
    dates.day,
    {
      values: {
        ...dates.values,
        ...personValues(data.applicant, data.officer),
        agencyName: data.agencyName,
        dossierCode: code,
        procedureCode: data.procedure.code,
        procedureName: data.procedure.name,
        reason: data.reason,
      },
      flags: { hasCode: Boolean(code) },
    },
    options,
  );
}
