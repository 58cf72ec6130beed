/**
 * The imaging service: what happens to a page between the scanner and the dossier's PDF.
 * Plain Node (sharp/libvips for heavy pixels, pure TS only on downscaled copies and the G4 bit coder).
 */
export { isBilevel, sauvolaWindow, toBlackAndWhite } from './binarize';
export { encodeG4 } from './ccitt-g4';
export { type ClassifyOptions, classifyPage, type PageClassification, type PageKind } from './classify';
export { DEFAULT_DPI, decodeImageFile, decodeImageFilePages, MAX_PAGE_PIXELS } from './decode';
export { deskew, estimateSkew, MAX_SKEW_DEGREES, MIN_CORRECTION_DEGREES, type SkewEstimate } from './deskew';
export { encodePage, JPEG_QUALITY } from './encode';
export type { EncodedPage, TextLayerWord } from './encoded-page';
export { ImagingError } from './errors';
export { ImagingThread } from './imaging-thread';
export { DEFAULT_BLANK_THRESHOLD, isBlankPage, measureInk } from './ink';
export { assemblePdf, pageSizePoints } from './pdf';
export { isPnm, pnmToRawPage } from './pnm';
export { type ProcessedPage, type ProcessOptions, processScannedPage } from './process';
export { assertRawPage, type ColorMode, type RawPage } from './raw-page';
export {
  DESK_SEPARATOR_PAYLOAD,
  detectSeparator,
  PATCH_T_TEXT,
  renderDeskSeparatorSheet,
  type SeparatorKind,
} from './separator';
