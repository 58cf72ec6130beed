import { format, vi } from '../../api/i18n';
import { FormError } from './errors';
import { type FormTemplate, formTemplateFor, SHIPPED_FORMS_DIR } from './form-template';
import { FormLayout } from './pdf-layout';

/** What a template is filled with: text values, flags for `when`, and lists for tables. */
export interface FormData {
  values: Record<string, string>;
  flags?: Record<string, boolean>;
  lists?: Record<string, Record<string, string>[]>;
}

export interface RenderOptions {
  /** Folder of form templates (default assets/forms). */
  templatesDir?: string;
  /** Folder of the Liberation Serif files (default assets/fonts or MOTCUA_FONTS_DIR). */
  fontsDir?: string;
}

export interface RenderedForm {
  pdf: Uint8Array;
  pages: number;
  template: { id: string; version: string };
}

/** Fills `{name}` placeholders; an unknown name is a template mistake, never printed as is. */
export function fillPlaceholders(
  template: FormTemplate,
  text: string,
  values: Record<string, string>,
): string {
  return text.replace(/\{(\w+)\}/g, (_whole, key: string) => {
    const value = values[key];
    if (value === undefined) {
      const detail = `unknown placeholder {${key}}`;
      throw new FormError(
        'invalid-template',
        format(vi.reception.forms.invalidTemplate, { file: `${template.id} ${template.version}`, detail }),
        detail,
      );
    }
    return value;
  });
}

function shown(when: string | undefined, flags: Record<string, boolean>): boolean {
  if (!when) return true;
  return when.startsWith('!') ? !flags[when.slice(1)] : Boolean(flags[when]);
}

/** Lays a template out with the data, block by block, into a PDF. */
export async function renderTemplate(
  template: FormTemplate,
  data: FormData,
  options: RenderOptions = {},
): Promise<RenderedForm> {
  const flags = data.flags ?? {};
  const fill = (text: string) => fillPlaceholders(template, text, data.values);
  const layout = await FormLayout.create({
    size: template.page.size,
    margin: template.page.margin,
    fontSize: template.page.fontSize,
    fontsDir: options.fontsDir,
    title: template.name,
  });
  for (const block of template.blocks) {
    if (!shown(block.when, flags)) continue;
    switch (block.type) {
      case 'header':
        layout.header(
          block.left.map((l) => ({ text: fill(l.text), bold: l.bold })),
          block.right.map((l) => ({ text: fill(l.text), bold: l.bold })),
          block.dateLine ? fill(block.dateLine) : undefined,
          block.size,
        );
        break;
      case 'title':
        layout.space(layout.fontSize * 0.4);
        for (const l of block.lines)
          layout.paragraph([{ text: fill(l.text), bold: l.bold }], {
            align: 'center',
            size: block.size ?? layout.fontSize * 1.25,
            after: 0,
          });
        layout.space(layout.fontSize * 0.6);
        break;
      case 'field': {
        const value = fill(block.value).trim();
        if (block.optional && !value) break;
        layout.paragraph([
          { text: `${fill(block.label)} `, bold: false },
          { text: value, bold: block.boldValue },
        ]);
        break;
      }
      case 'paragraph':
        layout.paragraph([{ text: fill(block.text), bold: block.bold }], {
          align: block.align,
          size: block.size,
        });
        break;
      case 'table':
        layout.table(
          block.columns.map((c) => ({ ...c, header: fill(c.header) })),
          data.lists?.[block.rows] ?? [],
        );
        break;
      case 'signatures':
        layout.signatures(
          block.columns.map((c) => ({
            title: fill(c.title),
            note: c.note ? fill(c.note) : undefined,
            name: fill(c.name),
          })),
        );
        break;
      case 'qr':
        layout.qr(fill(block.value), block.size);
        break;
      case 'spacer':
        layout.space(block.height);
        break;
    }
  }
  const pdf = await layout.save();
  return { pdf, pages: layout.pages, template: { id: template.id, version: template.version } };
}

/** Renders form `id` in the version in force on `day` (YYYY-MM-DD). */
export function renderForm(id: string, day: string, data: FormData, options: RenderOptions = {}) {
  const template = formTemplateFor(id, day, options.templatesDir ?? SHIPPED_FORMS_DIR);
  return renderTemplate(template, data, options);
}
