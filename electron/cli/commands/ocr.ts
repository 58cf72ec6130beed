import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { format, vi } from '../../api/i18n';
import { loadConfig } from '../../services/config/config';
import { resolveDataDir } from '../../services/config/data-dir';
import { ImagingError } from '../../services/imaging/errors';
import { OcrError } from '../../services/ocr/errors';
import type { OcrLanguage } from '../../services/ocr/language-data';
import { recognizeImageBytes } from '../../services/ocr/recognize-page';
import { buildSearchablePdf, type SearchablePage } from '../../services/ocr/searchable-pdf';
import type { OcrPageResult } from '../../services/ocr/types';
import { DEFAULT_LANGUAGES, OcrPool, resolvePoolSize } from '../../services/ocr/worker-pool';
import { writeFileAtomic } from '../../services/store/files';
import { type Command, EXIT_FAILURE, EXIT_OK, UsageError } from '../command';

type Outcome =
  | { file: string; ok: true; bytes: Uint8Array; result: OcrPageResult }
  | { file: string; ok: false; reason: string; detail: string };

/** Reads a file for OCR; a missing, empty or unreadable file becomes an OcrError with the clerk's reason. */
async function readInput(file: string): Promise<Uint8Array> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new OcrError('file-missing', 'input file does not exist', { file });
    throw new OcrError('file-unreadable', `cannot read input file (${code ?? 'error'})`, { file });
  }
  if (bytes.length === 0) throw new OcrError('file-empty', 'input file is empty', { file });
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function pdfOption(value: unknown): string | null {
  if (value === undefined) return null;
  if (typeof value !== 'string' || value.trim() === '')
    throw new UsageError(format(vi.cli.missingValue, { option: '--pdf' }));
  return value;
}

/** Runs `work` over items with at most `limit` in flight; results keep the items' order. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

export const ocrCommand: Command = {
  name: 'ocr',
  summary: 'Nhận dạng chữ tiếng Việt trong ảnh trang giấy (PNG, JPEG, TIFF); có thể xuất PDF tìm kiếm được',
  usage: 'motcua ocr TỆP_ẢNH... [--json] [--pdf TỆP_RA.pdf]',
  options: { pdf: { type: 'string' } },
  positionals: { min: 1, max: 10_000 },
  async run({ values, positionals, env, stdout, stderr }) {
    const pdfPath = pdfOption(values.pdf);
    let workers = 0;
    let languages: readonly OcrLanguage[] = DEFAULT_LANGUAGES;
    try {
      const config = loadConfig(resolveDataDir(env), env);
      workers = config.ocr.workers;
      languages = config.ocr.languages;
    } catch {
      // A broken config.json is `motcua doctor`'s business; OCR of a file works with the defaults.
    }
    // No more workers than files: each one costs a second of start-up and ~100 MB.
    const pool = new OcrPool({
      size: Math.min(resolvePoolSize(workers), positionals.length),
      languages,
      env,
    });
    let outcomes: Outcome[];
    try {
      outcomes = await mapLimited(positionals, pool.size + 1, async (file): Promise<Outcome> => {
        try {
          const bytes = await readInput(file);
          const { result } = await recognizeImageBytes(pool, bytes);
          // Keep the file's bytes only when a PDF will be made from them.
          return { file, ok: true, bytes: pdfPath ? bytes : new Uint8Array(), result };
        } catch (error) {
          if (error instanceof OcrError || error instanceof ImagingError) {
            return { file, ok: false, reason: error.clerkMessage, detail: error.message };
          }
          throw error;
        }
      });
    } finally {
      await pool.close();
    }

    const failures = outcomes.filter((o) => !o.ok);
    for (const failure of failures) {
      if (!failure.ok)
        stderr(`${format(vi.ocr.cli.fileFailed, { file: failure.file, reason: failure.reason })}\n`);
    }
    if (values.json) {
      const rows = outcomes.map((o) =>
        o.ok
          ? { file: o.file, text: o.result.text, confidence: o.result.confidence, ms: o.result.ms }
          : { file: o.file, text: null, confidence: null, ms: null, error: o.reason },
      );
      stdout(`${JSON.stringify(rows, null, 2)}\n`);
    } else {
      for (const o of outcomes) {
        if (!o.ok) continue;
        const { confidence, words, ms } = o.result;
        stdout(`== ${format(vi.ocr.cli.fileDone, { file: o.file, confidence, words: words.length, ms })}\n`);
        stdout(`${o.result.text.trimEnd()}\n\n`);
      }
    }
    if (failures.length > 0) {
      stderr(`${format(vi.ocr.cli.someFailed, { count: failures.length, total: outcomes.length })}\n`);
      if (pdfPath) stderr(`${format(vi.ocr.cli.pdfFailed, { path: pdfPath })}\n`);
      return EXIT_FAILURE;
    }
    if (pdfPath) {
      const pages: SearchablePage[] = outcomes.map((o) =>
        o.ok ? { bytes: o.bytes, words: o.result.words } : { bytes: new Uint8Array() },
      );
      try {
        writeFileAtomic(resolve(pdfPath), await buildSearchablePdf(pages));
      } catch (error) {
        stderr(`${format(vi.ocr.cli.pdfFailed, { path: pdfPath })} (${(error as Error).message})\n`);
        return EXIT_FAILURE;
      }
      stderr(`${format(vi.ocr.cli.pdfWritten, { path: pdfPath })}\n`);
    }
    return EXIT_OK;
  },
};
