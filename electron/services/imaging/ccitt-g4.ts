/**
 * CCITT Group 4 (ITU-T T.6) encoder for black-and-white pages: the compression every archive and PDF reader
 * expects for scanned B/W documents (a 300 dpi A4 text page is typically 20-60 KB, against ~1 MB raw).
 * Output is a bare T.6 stream ending with EOFB, as PDF's CCITTFaxDecode wants with `/K -1`.
 */

type Code = readonly [bits: number, length: number];

/** Parses the T.4 code tables written as bit strings (readable and checkable against the standard). */
function codes(table: readonly string[]): Code[] {
  return table.map((bits) => [Number.parseInt(bits, 2), bits.length] as const);
}

// T.4 Table 2: terminating codes, run lengths 0-63.
const WHITE_TERMINATING = codes(
  (
    '00110101 000111 0111 1000 1011 1100 1110 1111 10011 10100 00111 01000 001000 000011 110100 110101 ' +
    '101010 101011 0100111 0001100 0001000 0010111 0000011 0000100 0101000 0101011 0010011 0100100 ' +
    '0011000 00000010 00000011 00011010 00011011 00010010 00010011 00010100 00010101 00010110 00010111 ' +
    '00101000 00101001 00101010 00101011 00101100 00101101 00000100 00000101 00001010 00001011 01010010 ' +
    '01010011 01010100 01010101 00100100 00100101 01011000 01011001 01011010 01011011 01001010 01001011 ' +
    '00110010 00110011 00110100'
  ).split(' '),
);
const BLACK_TERMINATING = codes(
  (
    '0000110111 010 11 10 011 0011 0010 00011 000101 000100 0000100 0000101 0000111 00000100 00000111 ' +
    '000011000 0000010111 0000011000 0000001000 00001100111 00001101000 00001101100 00000110111 ' +
    '00000101000 00000010111 00000011000 000011001010 000011001011 000011001100 000011001101 ' +
    '000001101000 000001101001 000001101010 000001101011 000011010010 000011010011 000011010100 ' +
    '000011010101 000011010110 000011010111 000001101100 000001101101 000011011010 000011011011 ' +
    '000001010100 000001010101 000001010110 000001010111 000001100100 000001100101 000001010010 ' +
    '000001010011 000000100100 000000110111 000000111000 000000100111 000000101000 000001011000 ' +
    '000001011001 000000101011 000000101100 000001011010 000001100110 000001100111'
  ).split(' '),
);
// T.4 Table 3: make-up codes, run lengths 64, 128, … 1728.
const WHITE_MAKEUP = codes(
  (
    '11011 10010 010111 0110111 00110110 00110111 01100100 01100101 01101000 01100111 011001100 ' +
    '011001101 011010010 011010011 011010100 011010101 011010110 011010111 011011000 011011001 ' +
    '011011010 011011011 010011000 010011001 010011010 011000 010011011'
  ).split(' '),
);
const BLACK_MAKEUP = codes(
  (
    '0000001111 000011001000 000011001001 000001011011 000000110011 000000110100 000000110101 ' +
    '0000001101100 0000001101101 0000001001010 0000001001011 0000001001100 0000001001101 ' +
    '0000001110010 0000001110011 0000001110100 0000001110101 0000001110110 0000001110111 ' +
    '0000001010010 0000001010011 0000001010100 0000001010101 0000001011010 0000001011011 ' +
    '0000001100100 0000001100101'
  ).split(' '),
);
// T.4 Table 4: extended make-up codes shared by both colours, run lengths 1792, 1856, … 2560.
const EXTENDED_MAKEUP = codes(
  (
    '00000001000 00000001100 00000001101 000000010010 000000010011 000000010100 000000010101 ' +
    '000000010110 000000010111 000000011100 000000011101 000000011110 000000011111'
  ).split(' '),
);

// T.6 Table 1: two-dimensional mode codes.
const PASS: Code = [0b0001, 4];
const HORIZONTAL: Code = [0b001, 3];
/** Vertical modes indexed by a1 − b1 + 3: VL3, VL2, VL1, V0, VR1, VR2, VR3. */
const VERTICAL: readonly Code[] = codes(['0000010', '000010', '010', '1', '011', '000011', '0000011']);
const EOL: Code = [0b000000000001, 12];

/** MSB-first bit writer over a growing byte buffer. */
class BitWriter {
  private buffer: Uint8Array;
  private byteLength = 0;
  private acc = 0;
  private accBits = 0;

  constructor(initialBytes: number) {
    this.buffer = new Uint8Array(Math.max(1024, initialBytes));
  }

  write(code: Code): void {
    const [bits, length] = code;
    // Codes are at most 13 bits and at most 7 bits wait in acc, so acc stays within 20 bits.
    this.acc = (this.acc << length) | bits;
    this.accBits += length;
    while (this.accBits >= 8) {
      this.accBits -= 8;
      this.pushByte((this.acc >>> this.accBits) & 0xff);
    }
    this.acc &= (1 << this.accBits) - 1;
  }

  finish(): Uint8Array {
    if (this.accBits > 0) this.pushByte((this.acc << (8 - this.accBits)) & 0xff);
    this.accBits = 0;
    this.acc = 0;
    return this.buffer.slice(0, this.byteLength);
  }

  private pushByte(byte: number): void {
    if (this.byteLength === this.buffer.length) {
      const grown = new Uint8Array(this.buffer.length * 2);
      grown.set(this.buffer);
      this.buffer = grown;
    }
    this.buffer[this.byteLength++] = byte;
  }
}

function writeRun(out: BitWriter, length: number, black: boolean): void {
  let rest = length;
  while (rest >= 2560) {
    out.write(EXTENDED_MAKEUP[12] as Code);
    rest -= 2560;
  }
  if (rest >= 1792) {
    out.write(EXTENDED_MAKEUP[(rest >> 6) - 28] as Code);
    rest &= 63;
  } else if (rest >= 64) {
    out.write((black ? BLACK_MAKEUP : WHITE_MAKEUP)[(rest >> 6) - 1] as Code);
    rest &= 63;
  }
  out.write((black ? BLACK_TERMINATING : WHITE_TERMINATING)[rest] as Code);
}

/**
 * Positions where the colour changes along a row (the row starts on an imaginary white pixel), followed by
 * three `width` sentinels, T.6's "imaginary changing elements" past the end of the line. Returns the count.
 */
function changingElements(
  isBlack: (i: number) => boolean,
  row: number,
  width: number,
  out: Int32Array,
): number {
  let n = 0;
  let black = false;
  for (let x = 0; x < width; x++) {
    if (isBlack(row + x) !== black) {
      black = !black;
      out[n++] = x;
    }
  }
  out[n] = width;
  out[n + 1] = width;
  out[n + 2] = width;
  return n;
}

/**
 * Encodes a bilevel plane (one byte per pixel, < 128 = black) as a T.6 stream: each row is coded against
 * the row above (the first against an all-white line) with pass / vertical / horizontal modes.
 */
export function encodeG4(pixels: Uint8Array, width: number, height: number): Uint8Array {
  if (pixels.length !== width * height) {
    throw new RangeError(`G4 input is ${pixels.length} bytes, expected ${width}x${height}`);
  }
  const out = new BitWriter(Math.ceil((width * height) / 64));
  let reference = new Int32Array(width + 3).fill(width); // the line above the first: all white
  let coding = new Int32Array(width + 3);
  const isBlack = (i: number) => (pixels[i] as number) < 128;

  for (let y = 0; y < height; y++) {
    changingElements(isBlack, y * width, width, coding);
    let a0 = -1;
    let black = false; // colour of a0
    let ia = 0; // index in `coding` of the first changing element right of a0
    let ib = 0; // index in `reference` of the first changing element right of a0
    while (a0 < width) {
      while ((coding[ia] as number) <= a0 && (coding[ia] as number) < width) ia++;
      while ((reference[ib] as number) <= a0 && (reference[ib] as number) < width) ib++;
      // Even indices are changes to black. b1 must change to the colour opposite to a0's.
      const ib1 = (ib & 1) === (black ? 1 : 0) ? ib : ib + 1;
      const b1 = reference[ib1] as number;
      const b2 = reference[ib1 + 1] as number;
      const a1 = coding[ia] as number;
      if (b2 < a1) {
        out.write(PASS);
        a0 = b2;
      } else if (Math.abs(a1 - b1) <= 3) {
        out.write(VERTICAL[a1 - b1 + 3] as Code);
        a0 = a1;
        black = !black;
      } else {
        const a2 = coding[ia + 1] as number;
        out.write(HORIZONTAL);
        writeRun(out, a1 - Math.max(a0, 0), black);
        writeRun(out, a2 - a1, !black);
        a0 = a2;
      }
    }
    [reference, coding] = [coding, reference];
  }
  out.write(EOL);
  out.write(EOL);
  return out.finish();
}
