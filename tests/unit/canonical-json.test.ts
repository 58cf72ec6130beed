import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dossierContentSha256 } from '../../electron/services/sync/protocol';
import { canonicalJson } from '../../electron/services/text/canonical-json';

// The canonical JSON sync/protocol.ts had before the audit's and its own were made one: what the provincial
// server verified. For text already in NFC (what the desk sends) the one canonical JSON must give the same bytes.
function previousWireCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(previousWireCanonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${previousWireCanonicalJson(v)}`).join(',')}}`;
}

const nfcString = fc.string({ unit: 'grapheme' }).map((text) => text.normalize('NFC'));
const nfcJson = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    nfcString,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(nfcString, tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('canonical JSON', () => {
  it('sorts keys and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: null, y: true }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[2,{"y":true,"z":null}]},"b":1}',
    );
  });

  it('hashes combining-mark text like precomposed text, keys included', () => {
    expect(canonicalJson({ 'Nguye\u0302\u0303n': 'Nguye\u0302\u0303n' })).toBe(
      canonicalJson({ 'Nguy\u1ec5n': 'Nguy\u1ec5n' }),
    );
  });

  it('refuses what JSON cannot say exactly', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/NaN/);
    expect(() => canonicalJson([Number.POSITIVE_INFINITY])).toThrow(/Infinity/);
    expect(() => canonicalJson([1, undefined])).toThrow(/undefined/);
    expect(() => canonicalJson({ a: 10n })).toThrow(/bigint/);
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });

  it('gives the bytes the provincial wire format had, for NFC text', () => {
    fc.assert(
      fc.property(nfcJson, (value) => {
        expect(canonicalJson(value)).toBe(previousWireCanonicalJson(value));
      }),
      { numRuns: 500 },
    );
  });

  it('keeps the dossier content hash of a fixed payload', () => {
    const payload = { MaHoSo: '000.17.22.H56-261126-0001', MaTTHC: '1.001193', TaiLieuNop: [], b: 'Nguyễn' };
    // sha256 of {"MaHoSo":"000.17.22.H56-261126-0001","MaTTHC":"1.001193","TaiLieuNop":[],"b":"Nguyễn"}
    expect(dossierContentSha256(payload as never)).toBe(
      'aec559ea5e948eb3af9d3c091d72ecdefb626db7138df97b9de3b5ff902cb377',
    );
  });
});
