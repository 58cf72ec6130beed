import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type KeyStroke,
  parseCccdPayload,
  scannedPayloads,
  splitKeyboardInput,
} from '../../../electron/services/extract';

const PAYLOAD = '038192004517||Lê Thị Hồng Nhung|15031992|Nữ|Thôn Đông Hải, Quảng Phú, Thanh Hóa|12082021';

/** Key events for `text` typed from `start`, one key every `gaps(i)` ms, optionally ended by Enter. */
function typeText(text: string, start: number, gaps: (i: number) => number, enter = true): KeyStroke[] {
  const strokes: KeyStroke[] = [];
  let time = start;
  [...text].forEach((key, i) => {
    if (i > 0) time += gaps(i);
    strokes.push({ key, time });
  });
  if (enter) strokes.push({ key: 'Enter', time: time + gaps(text.length) });
  return strokes;
}

const scanner = (i: number) => 4 + (i % 5); // 4–8 ms per key
const human = (i: number) => 110 + ((i * 37) % 140); // 110–250 ms per key

describe('keyboard wedge', () => {
  it('recognises a reader burst ending in Enter, Vietnamese letters included', () => {
    const segments = splitKeyboardInput(typeText(PAYLOAD, 1000, scanner));
    expect(segments).toHaveLength(1);
    expect(segments[0]).toMatchObject({ kind: 'scan', text: PAYLOAD, startTime: 1000 });
    expect(parseCccdPayload(segments[0]?.text ?? '').fullName).toBe('Lê Thị Hồng Nhung');
  });

  it('treats a clerk typing the same characters as typing', () => {
    const segments = splitKeyboardInput(typeText('038192004517', 0, human));
    expect(segments).toEqual([expect.objectContaining({ kind: 'typed', text: '038192004517\n' })]);
  });

  it('separates typing that precedes a scan', () => {
    const typed = typeText('Nguyen', 0, human, false);
    const scan = typeText(PAYLOAD, 5000, scanner);
    const segments = splitKeyboardInput([...typed, ...scan]);
    expect(segments.map((s) => [s.kind, s.text])).toEqual([
      ['typed', 'Nguyen'],
      ['scan', PAYLOAD],
    ]);
  });

  it('finds two scans in a row', () => {
    const first = typeText(PAYLOAD, 0, scanner);
    const second = typeText(PAYLOAD.replace('Nhung', 'Nhi'), 3000, scanner);
    expect(scannedPayloads([...first, ...second])).toEqual([PAYLOAD, PAYLOAD.replace('Nhung', 'Nhi')]);
  });

  it('survives one stall in the middle of a burst (USB/OS hiccup)', () => {
    const stalled = typeText(PAYLOAD, 0, (i) => (i === 40 ? 120 : scanner(i)));
    expect(scannedPayloads(stalled)).toEqual([PAYLOAD]);
  });

  it('ignores modifier keys that readers interleave (Shift for capitals)', () => {
    const strokes = typeText(PAYLOAD, 0, scanner).flatMap((s) =>
      s.key.toUpperCase() === s.key && s.key !== s.key.toLowerCase()
        ? [{ key: 'Shift', time: s.time - 1 }, s]
        : [s],
    );
    expect(scannedPayloads(strokes)).toEqual([PAYLOAD]);
  });

  it('does not call a short fast word a scan', () => {
    expect(splitKeyboardInput(typeText('abc', 0, scanner))[0]?.kind).toBe('typed');
  });

  it('reports a fast run without Enter yet as pending, and slow leftovers as typed', () => {
    const partial = typeText(PAYLOAD.slice(0, 30), 0, scanner, false);
    expect(splitKeyboardInput(partial)).toEqual([expect.objectContaining({ kind: 'pending' })]);
    const slow = typeText('Lê Văn', 0, human, false);
    expect(splitKeyboardInput(slow)).toEqual([expect.objectContaining({ kind: 'typed', text: 'Lê Văn' })]);
  });

  it('applies Backspace to typed text; a burst with a correction is a person', () => {
    const strokes = [...typeText('Lêx', 0, human, false), { key: 'Backspace', time: 900 }];
    expect(splitKeyboardInput(strokes)).toEqual([expect.objectContaining({ kind: 'typed', text: 'Lê' })]);
  });

  it('property: any text fed at reader speed comes back as exactly one scan', () => {
    const char = fc.oneof(
      fc.constantFrom(...'|0123456789 ,ĐđươăâêôLêThịNữ'),
      fc.string({ minLength: 1, maxLength: 1 }),
    );
    const text = fc.array(char, { minLength: 12, maxLength: 200 }).map((cs) => cs.join(''));
    const gap = fc.integer({ min: 1, max: 30 });
    fc.assert(
      fc.property(text, fc.array(gap, { minLength: 1, maxLength: 10 }), (t, gaps) => {
        const clean = [...t].filter((c) => c.trim() !== '' || c === ' ').join('');
        fc.pre([...clean].length >= 12);
        const strokes = typeText(clean, 0, (i) => gaps[i % gaps.length] ?? 5);
        expect(scannedPayloads(strokes)).toEqual([clean]);
      }),
    );
  });

  it('property: typing at human speed is never taken for a scan', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 120 }),
        fc.integer({ min: 60, max: 400 }),
        (t, base) => {
          const strokes = typeText(t, 0, (i) => base + ((i * 13) % 50));
          expect(scannedPayloads(strokes)).toEqual([]);
        },
      ),
    );
  });
});
