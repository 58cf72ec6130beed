import fontkit from '@pdf-lib/fontkit';
import {
  beginText,
  concatTransformationMatrix,
  drawObject,
  endText,
  PDFDocument,
  type PDFFont,
  type PDFHexString,
  type PDFName,
  type PDFOperator,
  type PDFPage,
  popGraphicsState,
  pushGraphicsState,
  setCharacterSqueeze,
  setFontAndSize,
  setTextMatrix,
  setTextRenderingMode,
  showText,
  TextRenderingMode,
} from 'pdf-lib';
import type { EncodedPage, TextLayerWord } from './encoded-page';
import { ImagingError } from './errors';
import { textFontBytes } from './fonts';

const POINTS_PER_INCH = 72;

/** Page size in PDF points from pixel size and the true scan resolution (A4 at 300 dpi → 595.3 × 841.9). */
export function pageSizePoints(page: Pick<EncodedPage, 'width' | 'height' | 'dpi'>) {
  return {
    width: (page.width * POINTS_PER_INCH) / page.dpi,
    height: (page.height * POINTS_PER_INCH) / page.dpi,
  };
}

/** Draws a G4 stream as an image XObject: pdf-lib has no CCITT embedder, so the dictionary is written here. */
function drawG4Image(doc: PDFDocument, page: PDFPage, encoded: EncodedPage, width: number, height: number) {
  const stream = doc.context.stream(encoded.bytes, {
    Type: 'XObject',
    Subtype: 'Image',
    Width: encoded.width,
    Height: encoded.height,
    BitsPerComponent: 1,
    ColorSpace: 'DeviceGray',
    Filter: 'CCITTFaxDecode',
    // K −1 = pure two-dimensional (Group 4). BlackIs1 false: decoded 0 bits are black, as DeviceGray reads them.
    DecodeParms: { K: -1, Columns: encoded.width, Rows: encoded.height, BlackIs1: false },
  });
  drawXObject(page, page.node.newXObject('Im', doc.context.register(stream)), width, height);
}

/**
 * A non-interlaced 8-bit grey or RGB PNG without alpha goes into the PDF as it is: its IDAT data is a zlib
 * stream with PNG row filters, which FlateDecode with /Predictor 15 reads directly. (pdf-lib's PNG embedder
 * would decode it and store RGB, tripling a grey page.) Returns null for PNGs that need pdf-lib's path.
 */
function rawPngStream(doc: PDFDocument, bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const type = (at: number) => String.fromCharCode(...bytes.subarray(at + 4, at + 8));
  if (bytes.length < 33 || type(8) !== 'IHDR') return null;
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  const [bitDepth, colourType, , , interlace] = bytes.subarray(24, 29);
  if (bitDepth !== 8 || interlace !== 0 || (colourType !== 0 && colourType !== 2)) return null;
  const idat: Uint8Array[] = [];
  for (let at = 8; at + 12 <= bytes.length; ) {
    const length = view.getUint32(at);
    const chunk = type(at);
    if (chunk === 'IDAT') idat.push(bytes.subarray(at + 8, at + 8 + length));
    if (chunk === 'tRNS') return null; // transparency needs a soft mask: pdf-lib's path
    if (chunk === 'IEND') break;
    at += 12 + length;
  }
  const data = new Uint8Array(idat.reduce((n, part) => n + part.length, 0));
  idat.reduce((offset, part) => {
    data.set(part, offset);
    return offset + part.length;
  }, 0);
  const colours = colourType === 0 ? 1 : 3;
  return doc.context.stream(data, {
    Type: 'XObject',
    Subtype: 'Image',
    Width: width,
    Height: height,
    BitsPerComponent: 8,
    ColorSpace: colours === 1 ? 'DeviceGray' : 'DeviceRGB',
    Filter: 'FlateDecode',
    DecodeParms: { Predictor: 15, Colors: colours, BitsPerComponent: 8, Columns: width },
  });
}

function drawXObject(page: PDFPage, name: PDFName, width: number, height: number) {
  page.pushOperators(
    pushGraphicsState(),
    concatTransformationMatrix(width, 0, 0, height, 0, 0),
    drawObject(name),
    popGraphicsState(),
  );
}

async function drawImage(doc: PDFDocument, page: PDFPage, encoded: EncodedPage) {
  const { width, height } = page.getSize();
  switch (encoded.format) {
    case 'ccitt-g4':
      drawG4Image(doc, page, encoded, width, height);
      return;
    case 'jpeg':
      page.drawImage(await doc.embedJpg(encoded.bytes), { x: 0, y: 0, width, height });
      return;
    case 'png': {
      const stream = rawPngStream(doc, encoded.bytes);
      if (stream) drawXObject(page, page.node.newXObject('Im', doc.context.register(stream)), width, height);
      else page.drawImage(await doc.embedPng(encoded.bytes), { x: 0, y: 0, width, height });
      return;
    }
  }
}

let metrics: { ascent: number; descent: number } | null = null;

/**
 * Ascent and descent (both positive, per 1 pt of font size) as PDF readers take them from the font
 * descriptor. Read with fontkit here because pdf-lib's heightAtSize subtracts the descent unscaled.
 */
function fontMetrics(): { ascent: number; descent: number } {
  if (!metrics) {
    const font = fontkit.create(textFontBytes());
    metrics = { ascent: font.ascent / font.unitsPerEm, descent: Math.abs(font.descent) / font.unitsPerEm };
  }
  return metrics;
}

/**
 * Invisible text (render mode 3) over the image, one text object per word: font size from the box height,
 * horizontal scaling (Tz) so the word spans exactly its box, so that selecting or searching lines up
 * with the picture. Text is NFC-normalised so each Vietnamese letter is one glyph with a ToUnicode entry.
 */
/** Shaping a word (fontkit layout) is the costly part; pages repeat words a lot, so each is shaped once. */
type ShapedWords = Map<string, { widthAtOne: number; encoded: PDFHexString }>;

function shape(font: PDFFont, cache: ShapedWords, text: string) {
  let shaped = cache.get(text);
  if (!shaped) {
    shaped = { widthAtOne: font.widthOfTextAtSize(text, 1), encoded: font.encodeText(text) };
    cache.set(text, shaped);
  }
  return shaped;
}

function drawTextLayer(
  page: PDFPage,
  font: PDFFont,
  cache: ShapedWords,
  words: TextLayerWord[],
  dpi: number,
) {
  const scale = POINTS_PER_INCH / dpi;
  const pageHeight = page.getHeight();
  const { ascent, descent } = fontMetrics();
  const fullHeight = ascent + descent;
  const fontKey = page.node.newFontDictionary(font.name, font.ref);
  const ops: PDFOperator[] = [beginText(), setTextRenderingMode(TextRenderingMode.Invisible)];
  let drawn = 0;
  for (const word of words) {
    const text = word.text.normalize('NFC').replace(/\s+/g, ' ').trim();
    const { x0, y0, x1, y1 } = word.bbox;
    if (!text || !(x1 > x0) || !(y1 > y0)) continue;
    const boxWidth = (x1 - x0) * scale;
    const size = Math.max(1, ((y1 - y0) * scale) / fullHeight);
    const { widthAtOne, encoded } = shape(font, cache, text);
    if (!(widthAtOne > 0)) continue;
    ops.push(
      setFontAndSize(fontKey, size),
      setCharacterSqueeze((100 * boxWidth) / (widthAtOne * size)),
      setTextMatrix(1, 0, 0, 1, x0 * scale, pageHeight - y1 * scale + descent * size),
      showText(encoded),
    );
    drawn++;
  }
  ops.push(endText());
  if (drawn > 0) page.pushOperators(...ops);
}

/**
 * Builds one PDF from encoded pages: one PDF page per image, sized from pixels and true DPI, with an
 * optional invisible OCR text layer per page (`textLayers[i]` for `pages[i]`; undefined = none).
 * No timestamps are written, so the same pages give the same bytes (the blob store dedupes by hash).
 */
export async function assemblePdf(
  pages: EncodedPage[],
  options: { textLayers?: (TextLayerWord[] | undefined)[] } = {},
): Promise<Uint8Array> {
  if (pages.length === 0) throw new ImagingError('noPages', 'assemblePdf called without pages');
  const layers = options.textLayers ?? [];
  if (layers.length > pages.length) {
    throw new RangeError(`${layers.length} text layers for ${pages.length} pages`);
  }
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setProducer('MotCua Desk');
  let font: PDFFont | null = null;
  const shaped: ShapedWords = new Map();
  for (const [index, encoded] of pages.entries()) {
    if (!(encoded.width > 0 && encoded.height > 0 && encoded.dpi > 0)) {
      throw new RangeError(
        `page ${index} has invalid geometry ${encoded.width}x${encoded.height}@${encoded.dpi}`,
      );
    }
    const size = pageSizePoints(encoded);
    const page = doc.addPage([size.width, size.height]);
    await drawImage(doc, page, encoded);
    const words = layers[index];
    if (words && words.length > 0) {
      if (!font) {
        doc.registerFontkit(fontkit);
        font = await doc.embedFont(textFontBytes(), { subset: true });
      }
      drawTextLayer(page, font, shaped, words, encoded.dpi);
    }
  }
  return doc.save();
}
