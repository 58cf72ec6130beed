/** A page compressed for storage and PDF embedding; `bytes` is a complete file (JPEG, PNG) or a bare G4 stream. */
export interface EncodedPage {
  format: 'jpeg' | 'png' | 'ccitt-g4';
  bytes: Uint8Array;
  width: number;
  height: number;
  dpi: number;
  channels: 1 | 3;
}

/** One OCR word for the invisible text layer; box in page pixels, origin top-left, x1/y1 exclusive. */
export interface TextLayerWord {
  text: string;
  bbox: { x0: number; y0: number; x1: number; y1: number };
}
