import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeImageFile } from '../../electron/services/imaging/decode';
import { type RawPage, toGrayPage } from '../../electron/services/imaging/raw-page';

/**
 * poppler-utils as the independent reader of the PDFs the desk writes (imaging, OCR, forms): every tool runs on
 * the PDF in a scratch folder that is removed afterwards.
 */
function withPdf<T>(pdf: Uint8Array, work: (path: string, dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-poppler-'));
  try {
    const path = join(dir, 'in.pdf');
    writeFileSync(path, pdf);
    return work(path, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const run = (tool: string, args: string[]) =>
  execFileSync(tool, args, { maxBuffer: 256 * 1024 * 1024 }).toString();

/** `pdfinfo`: page count and each page's size in points. */
export async function pdfInfo(
  pdf: Uint8Array,
): Promise<{ pages: number; sizes: { width: number; height: number }[] }> {
  return withPdf(pdf, (path) => {
    const pages = Number(/^Pages:\s+(\d+)/m.exec(run('pdfinfo', [path]))?.[1]);
    const sizes = [
      ...run('pdfinfo', ['-f', '1', '-l', String(pages), path]).matchAll(
        /^Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts/gm,
      ),
    ].map((m) => ({ width: Number(m[1]), height: Number(m[2]) }));
    return { pages, sizes };
  });
}

/** `pdfimages -list`: how each embedded image is stored (enc = jpeg, ccitt, image …). */
export async function pdfImageList(
  pdf: Uint8Array,
): Promise<{ width: number; height: number; color: string; bpc: number; enc: string; ppi: number }[]> {
  return withPdf(pdf, (path) =>
    run('pdfimages', ['-list', path])
      .split('\n')
      .slice(2)
      .filter((line) => line.trim())
      .map((line) => {
        const f = line.trim().split(/\s+/);
        return {
          width: Number(f[3]),
          height: Number(f[4]),
          color: f[5] ?? '',
          bpc: Number(f[7]),
          enc: f[8] ?? '',
          ppi: Number(f[12]),
        };
      }),
  );
}

/** `pdfimages -tiff`: every embedded image decoded by poppler (its CCITT / DCT decoders), as pages. */
export function pdfImagesDecoded(pdf: Uint8Array): Promise<RawPage[]> {
  const files = withPdf(pdf, (path, dir) => {
    run('pdfimages', ['-tiff', path, join(dir, 'img')]); // uncompressed: PNG deflate would dominate
    return readdirSync(dir)
      .filter((f) => f.startsWith('img'))
      .sort()
      .map((f) => readFileSync(join(dir, f)));
  });
  return Promise.all(files.map((bytes) => decodeImageFile(bytes)));
}

/** `pdftoppm`: page `page` rendered to PNG bytes (RGB, even with `gray`). */
export function pdfPagePng(pdf: Uint8Array, dpi: number, page = 1, gray = false): Uint8Array<ArrayBuffer> {
  return withPdf(pdf, (path, dir) => {
    const out = join(dir, 'page');
    const range = ['-f', String(page), '-l', String(page)];
    run('pdftoppm', [
      '-r',
      String(dpi),
      ...(gray ? ['-gray'] : []),
      '-png',
      ...range,
      '-singlefile',
      path,
      out,
    ]);
    return new Uint8Array(readFileSync(`${out}.png`));
  });
}

/** `pdftoppm`: one page rendered to grey (or colour) pixels at `dpi`. */
export async function renderPdfPage(pdf: Uint8Array, dpi: number, page = 1, color = false): Promise<RawPage> {
  const rendered = await decodeImageFile(pdfPagePng(pdf, dpi, page, !color));
  return { ...(color ? rendered : toGrayPage(rendered)), dpi };
}

/** `pdftotext` with UTF-8 output; extra args such as `-bbox` or `-raw`. */
export async function pdfToText(pdf: Uint8Array, args: string[] = []): Promise<string> {
  return pdfTextRaw(pdf, args);
}

function pdfTextRaw(pdf: Uint8Array, args: string[] = []): string {
  return withPdf(pdf, (path) => run('pdftotext', ['-enc', 'UTF-8', ...args, path, '-']));
}

/** `pdftotext` (UTF-8, reading order) with every run of whitespace made one space. */
export function pdfText(pdf: Uint8Array): string {
  return pdfTextRaw(pdf).replace(/\s+/g, ' ');
}

export interface WordBox {
  /** 1-based page. */
  page: number;
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Words with their boxes (points, origin top-left) and the page sizes, from `pdftotext -bbox`. */
export function pdfWords(pdf: Uint8Array): { pages: { width: number; height: number }[]; words: WordBox[] } {
  const html = pdfTextRaw(pdf, ['-bbox']);
  const pages: { width: number; height: number }[] = [];
  const words: WordBox[] = [];
  for (const chunk of html.split('<page ').slice(1)) {
    const size = /width="([\d.]+)" height="([\d.]+)"/.exec(chunk);
    pages.push({ width: Number(size?.[1]), height: Number(size?.[2]) });
    for (const m of chunk.matchAll(
      /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
    )) {
      words.push({
        page: pages.length,
        xMin: Number(m[1]),
        yMin: Number(m[2]),
        xMax: Number(m[3]),
        yMax: Number(m[4]),
        text: (m[5] ?? '')
          .replace(/&amp;/g, '&')
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&quot;/g, '"'),
      });
    }
  }
  return { pages, words };
}

/** Word boxes of every page (points, origin top-left), from `pdftotext -bbox`. */
export async function pdfWordBoxes(
  pdf: Uint8Array,
): Promise<{ text: string; xMin: number; yMin: number; xMax: number; yMax: number }[]> {
  return pdfWords(pdf).words.map(({ page: _page, ...box }) => box);
}
