import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeImageFile } from '../../../electron/services/imaging/decode';
import { type RawPage, toGrayPage } from '../../../electron/services/imaging/raw-page';

/** Runs a poppler-utils tool on a PDF in a scratch folder; the folder is removed afterwards. */
async function withPdf<T>(pdf: Uint8Array, work: (path: string, dir: string) => Promise<T> | T): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-imaging-'));
  try {
    const path = join(dir, 'in.pdf');
    writeFileSync(path, pdf);
    return await work(path, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const run = (tool: string, args: string[]) =>
  execFileSync(tool, args, { maxBuffer: 256 * 1024 * 1024 }).toString();

/** `pdfinfo`: page count and each page's size in points. */
export function pdfInfo(
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
export function pdfImageList(
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
  return withPdf(pdf, async (path, dir) => {
    run('pdfimages', ['-tiff', path, join(dir, 'img')]); // uncompressed: PNG deflate would dominate
    const files = readdirSync(dir)
      .filter((f) => f.startsWith('img'))
      .sort();
    return Promise.all(files.map((f) => decodeImageFile(readFileSync(join(dir, f)))));
  });
}

/** `pdftoppm`: one page rendered to grey (or colour) pixels at `dpi`. */
export function renderPdfPage(pdf: Uint8Array, dpi: number, page = 1, color = false): Promise<RawPage> {
  return withPdf(pdf, async (path, dir) => {
    const out = join(dir, 'page');
    const colourArgs = color ? [] : ['-gray'];
    run('pdftoppm', [
      '-r',
      String(dpi),
      ...colourArgs,
      '-png',
      '-f',
      String(page),
      '-l',
      String(page),
      '-singlefile',
      path,
      out,
    ]);
    // pdftoppm writes RGB PNGs even with -gray.
    const rendered = await decodeImageFile(readFileSync(`${out}.png`));
    return { ...(color ? rendered : toGrayPage(rendered)), dpi };
  });
}

/** `pdftotext` with UTF-8 output; extra args such as `-bbox` or `-raw`. */
export function pdfToText(pdf: Uint8Array, args: string[] = []): Promise<string> {
  return withPdf(pdf, (path) => run('pdftotext', ['-enc', 'UTF-8', ...args, path, '-']));
}

/** Word boxes (points, origin top-left) from `pdftotext -bbox`. */
export async function pdfWordBoxes(
  pdf: Uint8Array,
): Promise<{ text: string; xMin: number; yMin: number; xMax: number; yMax: number }[]> {
  const html = await pdfToText(pdf, ['-bbox']);
  return [
    ...html.matchAll(
      /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
    ),
  ].map((m) => ({
    xMin: Number(m[1]),
    yMin: Number(m[2]),
    xMax: Number(m[3]),
    yMax: Number(m[4]),
    text: (m[5] ?? '')
      .replace(/&amp;/g, '&')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"'),
  }));
}
