/**
 * Imaging per-page timings on a 300 dpi A4 grey page (the corpus's office scan), with peers measured in the
 * same run so the ratios mean something on any machine:
 *   G4 encoder (TypeScript)       vs libtiff's G4 through sharp (C)
 *   Sauvola binarisation (TS)     vs libvips' fixed threshold (C, not adaptive: a floor, not a rival)
 *   processScannedPage('bw')      vs a bare libvips JPEG encode of the same page
 * Run: npx tsx tests/bench/imaging.bench.ts [iterations]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import {
  assemblePdf,
  decodeImageFile,
  deskew,
  detectSeparator,
  encodeG4,
  encodePage,
  estimateSkew,
  measureInk,
  processScannedPage,
  type RawPage,
  type TextLayerWord,
  toBlackAndWhite,
} from '../../electron/services/imaging';

const iterations = Number(process.argv[2] ?? 5);
const corpus = join(import.meta.dirname, '../../../shared/corpus/ocr');
const file = readFileSync(join(corpus, 'd1-to-khai-khai-sinh.scan.jpg'));

async function time<T>(run: () => Promise<T> | T): Promise<{ ms: number; result: T }> {
  const samples: number[] = [];
  let result!: T;
  await run(); // warm-up: wasm instantiation, JIT, libvips caches
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    result = await run();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { ms: samples[Math.floor(samples.length / 2)] as number, result };
}

const rows: [string, number, string][] = [];
const add = (name: string, ms: number, note = '') => rows.push([name, ms, note]);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

const decoded = await time(() => decodeImageFile(file));
const page: RawPage = decoded.result;
add('decodeImageFile (JPEG → raw)', decoded.ms, `${page.width}×${page.height} @ ${page.dpi} dpi`);
add('measureInk', (await time(() => measureInk(page))).ms);
add('estimateSkew', (await time(() => estimateSkew(page))).ms);
const straight = await time(() => deskew(page));
add('deskew (estimate + rotate)', straight.ms, `${straight.result.angleDegrees}°`);
add('detectSeparator', (await time(() => detectSeparator(page))).ms);

const sauvola = await time(() => toBlackAndWhite(page));
const fixed = await time(() =>
  sharp(page.data, { raw: { width: page.width, height: page.height, channels: 1 } })
    .threshold(128)
    .raw()
    .toBuffer(),
);
add(
  'toBlackAndWhite (Sauvola, TS)',
  sauvola.ms,
  `× ${(sauvola.ms / fixed.ms).toFixed(1)} libvips fixed threshold`,
);
add('  peer: libvips threshold(128)', fixed.ms);

const bw = sauvola.result;
const g4 = await time(() => encodeG4(bw.data, bw.width, bw.height));
const tiff = await time(() =>
  sharp(bw.data, { raw: { width: bw.width, height: bw.height, channels: 1 } })
    .toColourspace('b-w')
    .tiff({ compression: 'ccittfax4', bitdepth: 1 })
    .toBuffer(),
);
add(
  'encodeG4 (TS)',
  g4.ms,
  `${kb(g4.result.length)}; × ${(g4.ms / tiff.ms).toFixed(1)} time, × ${(g4.result.length / tiff.result.length).toFixed(2)} size of libtiff`,
);
add('  peer: libtiff G4 via sharp', tiff.ms, kb(tiff.result.length));

const grey = await time(() => encodePage(page, 'gray'));
add('encodePage gray (JPEG q75)', grey.ms, kb(grey.result.bytes.length));
const bwPage = await time(() => encodePage(page, 'bw'));
add('encodePage bw (Sauvola + G4)', bwPage.ms, kb(bwPage.result.bytes.length));

const words: TextLayerWord[] = Array.from({ length: 300 }, (_, i) => ({
  text: ['Cộng', 'hòa', 'xã', 'hội', 'chủ', 'nghĩa', 'Việt', 'Nam'][i % 8] as string,
  bbox: {
    x0: 200 + (i % 10) * 200,
    y0: 300 + Math.floor(i / 10) * 90,
    x1: 380 + (i % 10) * 200,
    y1: 350 + Math.floor(i / 10) * 90,
  },
}));
const pdf = await time(() => assemblePdf([bwPage.result]));
add('assemblePdf, 1 G4 page', pdf.ms, kb(pdf.result.length));
const pdfText = await time(() => assemblePdf([bwPage.result], { textLayers: [words] }));
add('assemblePdf, 1 page + 300-word text layer', pdfText.ms, kb(pdfText.result.length));

const pipelineBw = await time(() => processScannedPage(page, { mode: 'bw' }));
const pipelineGrey = await time(() => processScannedPage(page, { mode: 'gray' }));
const bare = await time(() =>
  sharp(page.data, { raw: { width: page.width, height: page.height, channels: 1 } })
    .toColourspace('b-w')
    .jpeg({ quality: 75 })
    .toBuffer(),
);
add('processScannedPage bw', pipelineBw.ms, `× ${(pipelineBw.ms / bare.ms).toFixed(1)} bare JPEG encode`);
add(
  'processScannedPage gray',
  pipelineGrey.ms,
  `× ${(pipelineGrey.ms / bare.ms).toFixed(1)} bare JPEG encode`,
);
add('  peer: libvips JPEG encode only', bare.ms);

console.log(`imaging bench — 300 dpi A4 grey page, median of ${iterations} runs (node ${process.version})`);
for (const [name, ms, note] of rows)
  console.log(`${name.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms  ${note}`);
