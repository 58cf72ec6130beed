/**
 * Extraction service: the chip ID card QR (typed by a handheld reader or found in an image) and fields
 * read from the OCR text of paper documents, plus the pre-fill report. Plain Node, no Electron.
 */
export {
  CCCD_FIELD_COUNT,
  type CccdParseOutcome,
  type CccdRecord,
  type CccdSex,
  cccdWarnings,
  formatCccdPayload,
  MAX_CCCD_PAYLOAD_LENGTH,
  type ParseCccdOptions,
  parseCccdPayload,
  tryParseCccdPayload,
} from './cccd-payload';
export { EXTRACT_ERROR_CODES, ExtractError, type ExtractErrorCode } from './errors';
export { CCCD_WARNING_CODES, type CccdWarning } from './id-number';
export {
  type KeyStroke,
  scannedPayloads,
  splitKeyboardInput,
  type WedgeOptions,
  type WedgeSegment,
  type WedgeSegmentKind,
} from './keyboard-wedge';
export { bestField, type ExtractedField, extractFields, FIELD_KINDS, type FieldKind } from './ocr-fields';
export type { OcrInput, OcrWord } from './ocr-text';
export {
  DEFAULT_PREFILL_THRESHOLD,
  type FieldToType,
  type FormFieldSpec,
  fieldsFromCccd,
  type PrefilledField,
  type PrefillOptions,
  type PrefillReport,
  prefillForm,
} from './prefill';
export { closeQrDecoder } from './qr-decoder';
export {
  ACCEPTED_IMAGE_FORMATS,
  type CardQrResult,
  type DecodeQrOptions,
  decodeQrFromImage,
  type QrAttempt,
  type QrImageResult,
  readCccdFromImage,
} from './qr-image';
