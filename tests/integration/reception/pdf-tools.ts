import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';

/** Runs poppler tools on a PDF in a scratch folder that is removed afterwards. */
function withPdf<T>(pdf: Uint8Array, work: (path: string, dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-forms-'));
  try {
    const path = join(dir, 'form.pdf');
    writeFileSync(path, pdf);
    return work(path, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const run = (tool: string, args: string[]) =>
  execFileSync(tool, args, { maxBuffer: 64 * 1024 * 1024 }).toString();

/** `pdftotext` (UTF-8, reading order) with every run of whitespace made one space. */
export function pdfText(pdf: Uint8Array): string {
  return withPdf(pdf, (path) => run('pdftotext', ['-enc', 'UTF-8', path, '-']).replace(/\s+/g, ' '));
}

export interface WordBox {
  page: number;
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

/** Words with their boxes (points, origin top-left) and the page sizes, from `pdftotext -bbox`. */
export function pdfWords(pdf: Uint8Array): { pages: { width: number; height: number }[]; words: WordBox[] } {
  const html = withPdf(pdf, (path) => run('pdftotext', ['-enc', 'UTF-8', '-bbox', path, '-']));
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

/** Page `page` rendered by `pdftoppm` to PNG bytes. */
export function pdfPagePng(pdf: Uint8Array, dpi: number, page = 1): Uint8Array<ArrayBuffer> {
  return withPdf(pdf, (path, dir) => {
    const out = join(dir, 'page');
    run('pdftoppm', [
      '-r',
      String(dpi),
      '-png',
      '-f',
      String(page),
      '-l',
      String(page),
      '-singlefile',
      path,
      out,
    ]);
    return new Uint8Array(readFileSync(`${out}.png`));
  });
}

let prepared = false;

/** Decodes the QR codes in a PNG with ZXing, from the package's own .wasm (no network). */
export async function readQrCodes(png: Uint8Array<ArrayBuffer>): Promise<string[]> {
  if (!prepared) {
    const wasmPath = createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm');
    const wasmModule = new WebAssembly.Module(readFileSync(wasmPath));
    prepareZXingModule({
      overrides: {
        locateFile: () => wasmPath,
        instantiateWasm(
          imports: WebAssembly.Imports,
          receive: (i: WebAssembly.Instance, m: WebAssembly.Module) => void,
        ) {
          WebAssembly.instantiate(wasmModule, imports).then((instance) => receive(instance, wasmModule));
          return {};
        },
      },
    });
    prepared = true;
  }
  const results = await readBarcodes(new Blob([png]), { formats: ['QRCode'] });
  return results.map((r) => r.text);
}
