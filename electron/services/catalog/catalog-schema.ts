import { z } from 'zod';

/**
 * The procedure catalog as the provincial system delivers it (and as the bundled sample is written): one
 * entry per *version* of a procedure, applying from its effective date. Validated before anything is stored.
 */

const realIsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine((text) => {
    const [y, m, d] = text.split('-').map(Number) as [number, number, number];
    const probe = new Date(Date.UTC(y, m - 1, d));
    return probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d;
  }, 'not a real date');

/** Mã TTHC `N.NNNNNN`; provinces may append their agency code (`1.001193.000.00.00.H56`). */
export const procedureCodeSchema = z
  .string()
  .regex(/^\d\.\d{6}(\.[A-Z0-9]{1,6}){0,5}$/, 'expected a procedure code like 1.001193');

export const durationUnitSchema = z.enum(['working-days', 'days', 'hours']);

export const componentSchema = z
  .object({
    /** Mã thành phần hồ sơ, unique within the procedure version. */
    code: z.string().min(1).max(60),
    name: z.string().min(1).max(1000),
    /** Required counts: bản chính (originals) and bản sao (copies). 0/0 = shown only (xuất trình). */
    originals: z.number().int().min(0).max(99),
    copies: z.number().int().min(0).max(99),
    /** False for components asked only in some cases ("nếu có"). */
    required: z.boolean().default(true),
    /**
     * The component is the result of an earlier procedure (e.g. Giấy chứng nhận kết hôn), so the officer must
     * look for it in the citizen's digitized store before asking for paper (Decree 45/2020).
     */
    reusableResult: z.boolean().default(false),
    /** Mã TTHC of the procedure whose result this is, when known. */
    resultOfProcedure: procedureCodeSchema.nullable().default(null),
    note: z.string().max(2000).optional(),
  })
  .strict();

export const feeSchema = z
  .object({
    name: z.string().min(1).max(500),
    /** VND; null when the amount is set elsewhere (e.g. by the provincial People's Council). */
    amountVnd: z.number().int().min(0).nullable(),
    note: z.string().max(2000).optional(),
  })
  .strict();

export const procedureVersionSchema = z
  .object({
    code: procedureCodeSchema,
    /** The feed's label for this version (free text, e.g. a decision number or a date). */
    version: z.string().min(1).max(100),
    effectiveFrom: realIsoDate,
    /** Last day the procedure applies (inclusive) when it is abolished; null while in force. */
    effectiveTo: realIsoDate.nullable().default(null),
    name: z.string().min(1).max(1000),
    /** Lĩnh vực. */
    field: z.object({ code: z.string().max(60).optional(), name: z.string().min(1).max(500) }).strict(),
    /** Which level of government decides. */
    level: z.enum(['commune', 'province', 'central']),
    processingTime: z
      .object({
        amount: z.number().positive().max(1500),
        unit: durationUnitSchema,
        note: z.string().max(2000).optional(),
      })
      .strict(),
    components: z.array(componentSchema).min(1).max(200),
    fees: z.array(feeSchema).max(50).default([]),
    /** Ids of the form templates (assets/forms) used for this procedure. */
    forms: z
      .array(z.string().regex(/^[a-z][a-z0-9-]*$/))
      .default(['receipt', 'supplement-request', 'refusal']),
    note: z.string().max(2000).optional(),
  })
  .strict()
  .superRefine((version, ctx) => {
    if (version.effectiveTo && version.effectiveTo < version.effectiveFrom)
      ctx.addIssue({ code: 'custom', path: ['effectiveTo'], message: 'before effectiveFrom' });
    const seen = new Set<string>();
    version.components.forEach((component, i) => {
      if (seen.has(component.code))
        ctx.addIssue({
          code: 'custom',
          path: ['components', i, 'code'],
          message: 'duplicate component code',
        });
      seen.add(component.code);
    });
  });

export const catalogFeedSchema = z
  .object({
    /** True for the bundled sample: real data comes from the provincial system. */
    sample: z.boolean().default(false),
    note: z.string().max(4000).optional(),
    /** Who produced the feed, e.g. `sample` or the provincial system's name. */
    source: z.string().min(1).max(200),
    generatedAt: z.string().max(40).optional(),
    procedures: z.array(procedureVersionSchema).max(20_000),
  })
  .strict()
  .superRefine((feed, ctx) => {
    const seen = new Set<string>();
    feed.procedures.forEach((p, i) => {
      const key = `${p.code}@${p.effectiveFrom}`;
      if (seen.has(key))
        ctx.addIssue({ code: 'custom', path: ['procedures', i], message: `duplicate version ${key}` });
      seen.add(key);
    });
  });

export type ProcedureVersion = z.infer<typeof procedureVersionSchema>;
export type CatalogFeed = z.infer<typeof catalogFeedSchema>;
export type DurationUnit = z.infer<typeof durationUnitSchema>;
