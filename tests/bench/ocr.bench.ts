/**
 * OCR benchmark: our pipeline (clean-up + tesseract.js pool) against the native `tesseract` CLI on the
 * Vietnamese corpus, in the same run. Prints CER per variant, pages per minute and memory per worker.
 *
 *   npx tsx tests/bench/ocr.bench.ts [--variants clean,scan] [--pages N] [--languages vie+eng] [--workers N]
 *
 * Languages default to the pool's (vie); `--languages vie+eng` measures config's other choice.
 *
 * `--pages N` takes the first N documents of each variant. No asserts: the numbers are for people.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { characterErrorRate } from '../../electron/services/ocr/cer';
import type { OcrLanguage } from '../../electron/services/ocr/language-data';
import { recognizeImageBytes } from '../../electron/services/ocr/recognize-page';
import { DEFAULT_LANGUAGES, OcrPool } from '../../electron/services/ocr/worker-pool';

const CORPUS = join(import.meta.dirname, '../../../shared/corpus/ocr');
const ALL_VARIANTS = ['clean', 'scan', 'hard', 'stamp', 'photo'] as const;
// Targets from the issue: CER within 0.1 point of native, throughput at least 0.9 × native.
const CER_MARGIN = 0.001;
const THROUGHPUT_TARGET = 0.9;

const { values } = parseArgs({
  options: {
    variants: { type: 'string', default: ALL_VARIANTS.join(',') },
    pages: { type: 'string' },
    languages: { type: 'string' },
    workers: { type: 'string' },
  },
});

interface Page {
  file: string;
  variant: string;
  truth: string;
}

function corpusPages(): Page[] {
  const variants = values.variants.split(',').map((v) => v.trim());
  const unknown = variants.filter((v) => !(ALL_VARIANTS as readonly string[]).includes(v));
  if (unknown.length > 0) throw new Error(`unknown variants ${unknown.join(', ')}`);
  const docs = readdirSync(CORPUS)
    .filter((name) => name.endsWith('.gt.txt'))
    .map((name) => name.slice(0, -'.gt.txt'.length))
    .sort()
    .slice(0, values.pages ? Number(values.pages) : undefined);
  const files = readdirSync(CORPUS);
  const pages: Page[] = [];
  for (const variant of variants) {
    for (const doc of docs) {
      const file = files.find((name) => name.startsWith(`${doc}.${variant}.`));
      if (!file) continue;
      pages.push({
        file: join(CORPUS, file),
        variant,
        truth: readFileSync(join(CORPUS, `${doc}.gt.txt`), 'utf8'),
      });
    }
  }
  return pages;
}

/** Runs `work` over pages with `lanes` in flight; returns texts in page order and the wall time. */
async function timed(pages: Page[], lanes: number, work: (page: Page) => Promise<string>) {
  const texts = new Array<string>(pages.length);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < pages.length) {
        const index = next++;
        texts[index] = await work(pages[index] as Page);
      }
    }),
  );
  return { texts, ms: performance.now() - started };
}

const run = promisify(execFile);
const cores = availableParallelism();
const workers = values.workers ? Number(values.workers) : cores;
const languages = (values.languages?.split('+') ?? DEFAULT_LANGUAGES) as OcrLanguage[];
const pages = corpusPages();
console.log(
  `OCR benchmark: ${pages.length} pages, ${cores} cores, ${workers} workers, languages ${languages.join('+')}`,
);

// Native peer: one single-threaded process per core (OpenMP off, or the processes fight over cores).
const native = await timed(pages, cores, async (page) => {
  const { stdout } = await run('tesseract', [page.file, '-', '-l', 'vie', '-c', 'thresholding_method=2'], {
    env: { ...process.env, OMP_THREAD_LIMIT: '1' },
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
});

const rssBefore = process.memoryUsage().rss;
const pool = new OcrPool({ size: workers, languages, recycleAfterPages: 1000 });
const warmStarted = performance.now();
await pool.warmUp();
const warmMs = performance.now() - warmStarted;
const rssWarm = process.memoryUsage().rss;
let rssPeak = rssWarm;
// One lane more than workers: the next page is decoded and cleaned while the workers read.
const ours = await timed(pages, workers + 1, async (page) => {
  const { result } = await recognizeImageBytes(pool, readFileSync(page.file));
  rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
  return result.text;
});
const rssAfter = process.memoryUsage().rss;
await pool.close();

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;
const rows: string[][] = [['variant', 'pages', 'native CER', 'our CER', 'Δ points', 'target']];
for (const variant of ALL_VARIANTS) {
  const indexes = pages.flatMap((page, i) => (page.variant === variant ? [i] : []));
  if (indexes.length === 0) continue;
  const mean = (texts: string[]) =>
    indexes.reduce((sum, i) => sum + characterErrorRate((pages[i] as Page).truth, texts[i] as string), 0) /
    indexes.length;
  const nativeCer = mean(native.texts);
  const ourCer = mean(ours.texts);
  const delta = (ourCer - nativeCer) * 100;
  rows.push([
    variant,
    String(indexes.length),
    pct(nativeCer),
    pct(ourCer),
    `${delta >= 0 ? '+' : ''}${delta.toFixed(2)}`,
    ourCer <= nativeCer + CER_MARGIN ? 'met' : 'MISSED',
  ]);
}
const widths = rows[0]?.map((_, c) => Math.max(...rows.map((row) => (row[c] as string).length))) ?? [];
for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c] as number)).join('  '));

const ppm = (ms: number) => (pages.length * 60_000) / ms;
const ratio = ppm(ours.ms) / ppm(native.ms);
console.log('');
console.log(`throughput  native ${ppm(native.ms).toFixed(1)} pages/min (${cores} processes)`);
console.log(
  `            ours   ${ppm(ours.ms).toFixed(1)} pages/min (${workers} workers; + ${(warmMs / 1000).toFixed(1)} s one-time start)`,
);
console.log(
  `            ratio  ${ratio.toFixed(2)} × native (target ≥ ${THROUGHPUT_TARGET}: ${ratio >= THROUGHPUT_TARGET ? 'met' : 'MISSED'})`,
);
console.log(
  `memory      per worker at start ${mb((rssWarm - rssBefore) / workers)}, after ${pages.length} pages ${mb((rssAfter - rssBefore) / workers)} (peak process RSS ${mb(rssPeak)})`,
);
