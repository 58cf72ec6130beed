import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, type PDFFont, type PDFPage, rgb } from 'pdf-lib';
import QRCode from 'qrcode';
import { type FormFontStyle, formFontBytes } from './form-fonts';

/**
 * A small flow layout on pdf-lib for the desk's forms: paragraphs of bold/regular runs that wrap at spaces
 * (and inside a word longer than the line), tables whose cells wrap and whose header repeats on a new page,
 * signature columns, and a QR code floating at the right margin. Text is NFC and drawn one line per call,
 * so `pdftotext` reads it back with its diacritics and spaces.
 */

export const PAGE_SIZES = { A4: [595.28, 841.89], A5: [419.53, 595.28] } as const;
export type PageSize = keyof typeof PAGE_SIZES;
export type Align = 'left' | 'center' | 'right';

export interface Run {
  text: string;
  bold?: boolean;
}

interface Token {
  text: string;
  font: PDFFont;
  /** A space comes before this token on the same line. */
  spaced: boolean;
}

const BLACK = rgb(0, 0, 0);
const LINE_FACTOR = 1.32;

// Control characters would print as boxes; collapse whitespace the way the forms expect.
const clean = (text: string) => text.normalize('NFC').replace(/[\p{Cc}\p{Cf}]+/gu, ' ');

export interface LayoutOptions {
  size: PageSize;
  margin: number;
  fontSize: number;
  fontsDir?: string;
  title?: string;
}

export class FormLayout {
  private page!: PDFPage;
  private y = 0;
  private float: { bottom: number; width: number } | null = null;
  pages = 0;

  private constructor(
    readonly doc: PDFDocument,
    private readonly fonts: Record<FormFontStyle, PDFFont>,
    private readonly options: LayoutOptions,
  ) {
    this.newPage();
  }

  static async create(options: LayoutOptions): Promise<FormLayout> {
    const doc = await PDFDocument.create();
    doc.registerFontkit(fontkit);
    const [regular, bold] = await Promise.all([
      doc.embedFont(formFontBytes('regular', options.fontsDir), { subset: true }),
      doc.embedFont(formFontBytes('bold', options.fontsDir), { subset: true }),
    ]);
    if (options.title) doc.setTitle(options.title);
    doc.setProducer('MotCua Desk');
    doc.setCreator('MotCua Desk');
    return new FormLayout(doc, { regular, bold }, options);
  }

  get fontSize(): number {
    return this.options.fontSize;
  }

  private get width(): number {
    return PAGE_SIZES[this.options.size][0];
  }

  private get contentWidth(): number {
    return this.width - 2 * this.options.margin;
  }

  private lineHeight(size = this.options.fontSize): number {
    return size * LINE_FACTOR;
  }

  newPage(): void {
    const [w, h] = PAGE_SIZES[this.options.size];
    this.page = this.doc.addPage([w, h]);
    this.y = h - this.options.margin;
    this.float = null;
    this.pages += 1;
  }

  /** Starts a new page unless `height` points fit above the bottom margin. */
  ensure(height: number): void {
    if (this.y - height < this.options.margin) this.newPage();
  }

  space(height: number): void {
    this.y -= height;
  }

  /** Moves below a floating QR code (tables and signature rows use the full width). */
  clearFloat(): void {
    if (this.float && this.y > this.float.bottom) this.y = this.float.bottom - 4;
    this.float = null;
  }

  /** Width for the next line: narrower while the line is beside the floating QR code. */
  private lineWidth(): number {
    if (this.float && this.y <= this.float.bottom) this.float = null;
    return this.float ? this.contentWidth - this.float.width : this.contentWidth;
  }

  private font(bold?: boolean): PDFFont {
    return bold ? this.fonts.bold : this.fonts.regular;
  }

  private tokens(runs: Run[]): Token[] {
    const tokens: Token[] = [];
    let pendingSpace = false;
    for (const run of runs) {
      const font = this.font(run.bold);
      const parts = clean(run.text).split(/(\s+)/);
      for (const part of parts) {
        if (!part) continue;
        if (/^\s+$/.test(part)) {
          pendingSpace = true;
          continue;
        }
        tokens.push({ text: part, font, spaced: pendingSpace && tokens.length > 0 });
        pendingSpace = false;
      }
    }
    return tokens;
  }

  /** Takes the first line (no wider than `max`) off `tokens`; a word too long for any line is cut. */
  private takeLine(tokens: Token[], size: number, max: number): { line: Token[]; rest: Token[] } {
    const line: Token[] = [];
    let used = 0;
    for (let i = 0; i < tokens.length; i += 1) {
      const token = tokens[i] as Token;
      const gap = line.length > 0 && token.spaced ? token.font.widthOfTextAtSize(' ', size) : 0;
      const w = token.font.widthOfTextAtSize(token.text, size);
      if (used + gap + w <= max) {
        line.push(line.length === 0 ? { ...token, spaced: false } : token);
        used += gap + w;
        continue;
      }
      if (line.length > 0) return { line, rest: tokens.slice(i) };
      const chars = [...token.text];
      let cut = 1;
      while (
        cut < chars.length &&
        token.font.widthOfTextAtSize(chars.slice(0, cut + 1).join(''), size) <= max
      )
        cut += 1;
      line.push({ ...token, text: chars.slice(0, cut).join(''), spaced: false });
      const tail = chars.slice(cut).join('');
      const rest = tokens.slice(i + 1);
      return { line, rest: tail ? [{ ...token, text: tail, spaced: false }, ...rest] : rest };
    }
    return { line, rest: [] };
  }

  private wrap(tokens: Token[], size: number, max: number): Token[][] {
    const lines: Token[][] = [];
    let rest = tokens;
    while (rest.length > 0) {
      const taken = this.takeLine(rest, size, max);
      lines.push(taken.line);
      rest = taken.rest;
    }
    return lines;
  }

  /** Draws one wrapped line with its runs merged per font, so every line is a few text-show operations. */
  private drawLine(line: Token[], x: number, baseline: number, size: number): void {
    let cursor = x;
    let i = 0;
    while (i < line.length) {
      const font = (line[i] as Token).font;
      let text = '';
      let j = i;
      while (j < line.length && (line[j] as Token).font === font) {
        const t = line[j] as Token;
        text += (t.spaced && text ? ' ' : '') + t.text;
        j += 1;
      }
      // A space between runs of different fonts is drawn with the next run.
      if (i > 0 && (line[i] as Token).spaced) text = ` ${text}`;
      this.page.drawText(text, { x: cursor, y: baseline, size, font, color: BLACK });
      cursor += font.widthOfTextAtSize(text, size);
      i = j;
    }
  }

  private lineTextWidth(line: Token[], size: number): number {
    return line.reduce(
      (sum, t, i) =>
        sum +
        t.font.widthOfTextAtSize(t.text, size) +
        (i > 0 && t.spaced ? t.font.widthOfTextAtSize(' ', size) : 0),
      0,
    );
  }

  /** A wrapped paragraph at the cursor (beside a floating QR code while there is one). */
  paragraph(runs: Run[], options: { align?: Align; size?: number; after?: number } = {}): void {
    const size = options.size ?? this.options.fontSize;
    const lh = this.lineHeight(size);
    const tokens = this.tokens(runs);
    if (tokens.length === 0) return;
    // Wrap lazily, line by line, because the width changes when the text passes the QR code or a page ends.
    let rest = tokens;
    while (rest.length > 0) {
      this.ensure(lh);
      const width = this.lineWidth();
      const taken = this.takeLine(rest, size, width);
      const first = taken.line;
      rest = taken.rest;
      const lineWidth = this.lineTextWidth(first, size);
      const align = options.align ?? 'left';
      const offset = align === 'center' ? (width - lineWidth) / 2 : align === 'right' ? width - lineWidth : 0;
      this.drawLine(first, this.options.margin + Math.max(0, offset), this.y - size, size);
      this.y -= lh;
    }
    this.y -= options.after ?? size * 0.25;
  }

  /** Lines of text wrapped inside `width`, for cells and columns. */
  private wrapIn(text: string, width: number, size: number, bold?: boolean): Token[][] {
    const tokens = this.tokens([{ text, bold }]);
    return tokens.length > 0 ? this.wrap(tokens, size, width) : [[]];
  }

  private drawCentered(lines: Token[][], left: number, width: number, top: number, size: number): number {
    let y = top;
    for (const line of lines) {
      const w = this.lineTextWidth(line, size);
      this.drawLine(line, left + Math.max(0, (width - w) / 2), y - size, size);
      y -= this.lineHeight(size);
    }
    return y;
  }

  /** Agency on the left, national motto on the right, each centred in its column; then the place and date. */
  header(left: Run[], right: Run[], dateLine?: string, size = this.options.fontSize): void {
    this.clearFloat();
    const gutter = 8;
    const leftWidth = this.contentWidth * 0.42;
    const rightWidth = this.contentWidth - leftWidth - gutter;
    const leftLines = left.flatMap((run) => this.wrapIn(run.text, leftWidth, size, run.bold));
    const rightLines = right.flatMap((run) => this.wrapIn(run.text, rightWidth, size, run.bold));
    const height = Math.max(leftLines.length, rightLines.length) * this.lineHeight(size) + 4;
    this.ensure(height + this.lineHeight(size) * 2);
    const top = this.y;
    const leftBottom = this.drawCentered(leftLines, this.options.margin, leftWidth, top, size);
    const rightLeft = this.options.margin + leftWidth + gutter;
    const rightBottom = this.drawCentered(rightLines, rightLeft, rightWidth, top, size);
    // Short rules under the agency name and under the motto, as on official papers.
    const rule = (center: number, width: number, y: number) =>
      this.page.drawLine({
        start: { x: center - width / 2, y },
        end: { x: center + width / 2, y },
        thickness: 0.6,
        color: BLACK,
      });
    // Just under the last line's descenders.
    rule(this.options.margin + leftWidth / 2, leftWidth * 0.35, leftBottom - 1);
    rule(rightLeft + rightWidth / 2, rightWidth * 0.6, rightBottom - 1);
    this.y = Math.min(leftBottom, rightBottom) - 6;
    if (dateLine) {
      const lines = this.wrapIn(dateLine, rightWidth, size);
      this.y = this.drawCentered(lines, rightLeft, rightWidth, this.y, size) - size * 0.5;
    }
  }

  /** A QR code at the right margin, top at the cursor; text after it wraps to its left. */
  qr(value: string, size: number): void {
    this.clearFloat();
    this.ensure(size);
    const qr = QRCode.create(value, { errorCorrectionLevel: 'M' });
    const count = qr.modules.size;
    // 4-module quiet zone on every side, as the QR standard asks, so scanners find it next to text.
    const module = size / (count + 8);
    const left = this.options.margin + this.contentWidth - size;
    const top = this.y;
    for (let row = 0; row < count; row += 1) {
      let col = 0;
      while (col < count) {
        if (!qr.modules.get(row, col)) {
          col += 1;
          continue;
        }
        let end = col;
        while (end < count && qr.modules.get(row, end)) end += 1;
        this.page.drawRectangle({
          x: left + (4 + col) * module,
          y: top - (4 + row + 1) * module,
          width: (end - col) * module,
          height: module,
          color: BLACK,
        });
        col = end;
      }
    }
    this.float = { bottom: top - size, width: size + 4 };
  }

  /** A table with wrapped cells; the header row repeats when the table continues on a new page. */
  table(
    columns: { header: string; key: string; width: number; align: Align }[],
    rows: Record<string, string>[],
  ): void {
    this.clearFloat();
    const size = this.options.fontSize;
    const lh = this.lineHeight(size);
    const pad = 3;
    const total = columns.reduce((s, c) => s + c.width, 0);
    const widths = columns.map((c) => (c.width / total) * this.contentWidth);
    const lefts = widths.map((_, i) => this.options.margin + widths.slice(0, i).reduce((s, w) => s + w, 0));

    const drawRow = (cells: Token[][][], height: number) => {
      const top = this.y;
      cells.forEach((lines, i) => {
        const column = columns[i] as (typeof columns)[number];
        const x = lefts[i] as number;
        const w = widths[i] as number;
        this.page.drawRectangle({
          x,
          y: top - height,
          width: w,
          height,
          borderColor: BLACK,
          borderWidth: 0.5,
        });
        let y = top - pad;
        for (const line of lines) {
          const lw = this.lineTextWidth(line, size);
          const inner = w - 2 * pad;
          const offset =
            column.align === 'center' ? (inner - lw) / 2 : column.align === 'right' ? inner - lw : 0;
          this.drawLine(line, x + pad + Math.max(0, offset), y - size, size);
          y -= lh;
        }
      });
      this.y -= height;
    };
    const layoutRow = (values: string[], bold: boolean) => {
      const cells = values.map((v, i) => this.wrapIn(v, (widths[i] as number) - 2 * pad, size, bold));
      const height = Math.max(...cells.map((c) => c.length)) * lh + 2 * pad;
      return { cells, height };
    };
    const header = layoutRow(
      columns.map((c) => c.header),
      true,
    );
    this.ensure(header.height + lh * 2);
    drawRow(header.cells, header.height);
    for (const row of rows) {
      const laid = layoutRow(
        columns.map((c) => row[c.key] ?? ''),
        false,
      );
      if (this.y - laid.height < this.options.margin) {
        this.newPage();
        drawRow(header.cells, header.height);
      }
      drawRow(laid.cells, laid.height);
    }
    this.y -= size * 0.5;
  }

  /** Signature columns: title, note, room to sign, then the printed name. */
  signatures(columns: { title: string; note?: string; name: string }[]): void {
    this.clearFloat();
    const size = this.options.fontSize;
    const lh = this.lineHeight(size);
    const width = this.contentWidth / columns.length;
    const laid = columns.map((c) => ({
      title: this.wrapIn(c.title, width - 8, size, true),
      note: c.note ? this.wrapIn(c.note, width - 8, size) : [],
      name: this.wrapIn(c.name, width - 8, size, true),
    }));
    const signRoom = size * 5;
    const height =
      Math.max(...laid.map((c) => (c.title.length + c.note.length + c.name.length) * lh)) + signRoom + size;
    this.ensure(height);
    this.y -= size * 0.5;
    const top = this.y;
    let bottom = top;
    laid.forEach((c, i) => {
      const left = this.options.margin + i * width;
      let y = this.drawCentered(c.title, left, width, top, size);
      y = this.drawCentered(c.note, left, width, y, size);
      y = this.drawCentered(c.name, left, width, y - signRoom, size);
      bottom = Math.min(bottom, y);
    });
    this.y = bottom - size * 0.5;
  }

  async save(): Promise<Uint8Array> {
    return this.doc.save({ useObjectStreams: true });
  }
}
