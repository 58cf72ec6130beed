import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { format, vi } from '../../api/i18n';
import { assetPath } from '../assets';
import { FormError } from './errors';

/**
 * Form templates are versioned data (assets/forms/<id>.<version>.json): the wording of the forms changes
 * with circulars, so a template names the date it applies from, and a form is printed with the version in
 * force on the day of the act. Text holds `{placeholders}` filled from the form's data.
 */

const text = z.string().max(2000);
const line = z.object({ text, bold: z.boolean().default(false) }).strict();
/** Show the block only when this flag of the data is true (`flag`) or false (`!flag`). */
const when = z
  .string()
  .regex(/^!?[a-zA-Z][a-zA-Z0-9]*$/)
  .optional();

const headerBlock = z
  .object({
    type: z.literal('header'),
    left: z.array(line).min(1).max(6),
    right: z.array(line).min(1).max(6),
    /** Place and date line under the national motto, e.g. "{place}, ngày {day} tháng {month} năm {year}". */
    dateLine: text.optional(),
    /** Font size of the header (the motto must fit on one line of an A5 form). */
    size: z.number().min(6).max(16).optional(),
    when,
  })
  .strict();

const titleBlock = z
  .object({
    type: z.literal('title'),
    lines: z.array(line).min(1).max(4),
    size: z.number().min(6).max(24).optional(),
    when,
  })
  .strict();

/** "Label: value" that wraps as one paragraph; skipped when `optional` and the value comes out empty. */
const fieldBlock = z
  .object({
    type: z.literal('field'),
    label: text,
    value: text,
    boldValue: z.boolean().default(false),
    optional: z.boolean().default(false),
    when,
  })
  .strict();

const paragraphBlock = z
  .object({
    type: z.literal('paragraph'),
    text,
    bold: z.boolean().default(false),
    align: z.enum(['left', 'center', 'right']).default('left'),
    size: z.number().min(6).max(24).optional(),
    when,
  })
  .strict();

const tableBlock = z
  .object({
    type: z.literal('table'),
    /** Name of the list in the form data, e.g. `components`. */
    rows: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/),
    columns: z
      .array(
        z
          .object({
            header: text,
            key: z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/),
            width: z.number().positive().max(1),
            align: z.enum(['left', 'center', 'right']).default('left'),
          })
          .strict(),
      )
      .min(1)
      .max(8),
    when,
  })
  .strict();

const signaturesBlock = z
  .object({
    type: z.literal('signatures'),
    columns: z
      .array(z.object({ title: text, note: text.optional(), name: text }).strict())
      .min(1)
      .max(3),
    when,
  })
  .strict();

/** The QR code floats at the right margin; the following text wraps beside it. */
const qrBlock = z
  .object({ type: z.literal('qr'), value: text, size: z.number().min(40).max(200), when })
  .strict();

const spacerBlock = z
  .object({ type: z.literal('spacer'), height: z.number().min(0).max(200), when })
  .strict();

export const formBlockSchema = z.discriminatedUnion('type', [
  headerBlock,
  titleBlock,
  fieldBlock,
  paragraphBlock,
  tableBlock,
  signaturesBlock,
  qrBlock,
  spacerBlock,
]);

export const formTemplateSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9-]*$/),
    version: z.string().min(1).max(60),
    /** YYYY-MM-DD on Vietnam's calendar. */
    effectiveFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    name: z.string().min(1).max(300),
    /** The legal text the layout follows. */
    basis: z.string().max(500).optional(),
    page: z
      .object({
        size: z.enum(['A4', 'A5']),
        /** Points (1/72 inch). */
        margin: z.number().min(14).max(100),
        fontSize: z.number().min(7).max(16),
      })
      .strict(),
    blocks: z.array(formBlockSchema).min(1).max(100),
  })
  .strict();

export type FormTemplate = z.infer<typeof formTemplateSchema>;

export const SHIPPED_FORMS_DIR = assetPath('forms');

const cache = new Map<string, FormTemplate[]>();

/** Every template of a folder, validated; a broken file is an error (never printed half right). */
export function loadFormTemplates(dir: string = SHIPPED_FORMS_DIR): FormTemplate[] {
  const cached = cache.get(dir);
  if (cached) return cached;
  const templates: FormTemplate[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch (error) {
      const detail = (error as Error).message;
      throw new FormError(
        'invalid-template',
        format(vi.reception.forms.invalidTemplate, { file, detail }),
        detail,
      );
    }
    const parsed = formTemplateSchema.safeParse(raw);
    if (!parsed.success) {
      const detail = parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ');
      throw new FormError(
        'invalid-template',
        format(vi.reception.forms.invalidTemplate, { file, detail }),
        detail,
      );
    }
    templates.push(parsed.data);
  }
  cache.set(dir, templates);
  return templates;
}

/** The version of form `id` in force on `day` (YYYY-MM-DD). */
export function formTemplateFor(id: string, day: string, dir: string = SHIPPED_FORMS_DIR): FormTemplate {
  const candidates = loadFormTemplates(dir)
    .filter((t) => t.id === id && t.effectiveFrom <= day)
    .sort((a, b) => b.effectiveFrom.localeCompare(a.effectiveFrom));
  const found = candidates[0];
  if (!found) {
    throw new FormError(
      'no-template',
      format(vi.reception.forms.noTemplate, { form: id, date: day.split('-').reverse().join('/') }),
      `no template ${id} in force on ${day}`,
    );
  }
  return found;
}
