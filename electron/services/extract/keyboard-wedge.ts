/**
 * Handheld QR readers at the desk act as keyboards ("keyboard wedge"): they type the whole payload in a
 * burst of a few milliseconds per key and end it with Enter. A clerk types ten times slower. This pure
 * function splits a recorded stream of key events into scanner bursts and human typing, so the UI can
 * route a burst to the CCCD parser even when the focus was in an ordinary text box.
 */

export interface KeyStroke {
  /** DOM `KeyboardEvent.key`: one character, or a name such as `Enter`, `Shift`, `Backspace`. */
  key: string;
  /** Milliseconds (e.g. `KeyboardEvent.timeStamp`); only differences matter. */
  time: number;
}

export interface WedgeOptions {
  /** Largest normal gap between two keys of a scanner burst. Readers send a key every 1–20 ms. */
  maxGapMs?: number;
  /** A burst may contain this many longer pauses (the OS or USB stalls now and then)... */
  maxHiccups?: number;
  /** ...each no longer than this. Human typing has a gap like this on almost every key. */
  maxHiccupMs?: number;
  /** Shorter fast runs are a quick typist's word, not a scan. A CCCD payload has ~100 characters. */
  minLength?: number;
}

export type WedgeSegmentKind = 'scan' | 'typed' | 'pending';

export interface WedgeSegment {
  /** `scan`: a reader burst ended by Enter; `typed`: human input; `pending`: a fast run still waiting for Enter. */
  kind: WedgeSegmentKind;
  text: string;
  startTime: number;
  endTime: number;
}

const DEFAULTS: Required<WedgeOptions> = { maxGapMs: 35, maxHiccups: 1, maxHiccupMs: 150, minLength: 12 };

/** Keys that produce no text and that readers may interleave (Shift for capitals, AltGr, dead keys). */
const SILENT_KEYS = new Set([
  'Shift',
  'Control',
  'Alt',
  'AltGraph',
  'Meta',
  'CapsLock',
  'NumLock',
  'Dead',
  'Unidentified',
]);

const isCharacter = (key: string) => [...key].length === 1;

interface Run {
  chars: string[];
  times: number[];
  hiccups: number;
}

const emptyRun = (): Run => ({ chars: [], times: [], hiccups: 0 });

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** Splits key events (in time order) into scanner bursts and typed text. Pure: same input, same output. */
export function splitKeyboardInput(
  strokes: readonly KeyStroke[],
  options: WedgeOptions = {},
): WedgeSegment[] {
  const o = { ...DEFAULTS, ...options };
  const segments: WedgeSegment[] = [];
  // Human text since the last segment, and the current run of keys that are still fast enough to be a scan.
  let typed: string[] = [];
  let typedStart = Number.NaN;
  let typedEnd = Number.NaN;
  let run = emptyRun();

  const moveRunToTyped = () => {
    if (run.chars.length === 0) return;
    if (typed.length === 0) typedStart = run.times[0] ?? Number.NaN;
    typed.push(...run.chars);
    typedEnd = run.times[run.times.length - 1] ?? typedEnd;
    run = emptyRun();
  };
  const flushTyped = (extra = '') => {
    if (typed.length === 0 && extra === '') return;
    segments.push({ kind: 'typed', text: typed.join('') + extra, startTime: typedStart, endTime: typedEnd });
    typed = [];
  };
  const isScanBurst = (enterTime: number) => {
    if (run.chars.length < o.minLength) return false;
    const last = run.times[run.times.length - 1] ?? enterTime;
    if (enterTime - last > o.maxHiccupMs) return false;
    const gaps = run.times.slice(1).map((t, i) => t - (run.times[i] ?? t));
    return median(gaps) <= o.maxGapMs;
  };

  for (const { key, time } of strokes) {
    if (SILENT_KEYS.has(key)) continue;
    const lastTime = run.times[run.times.length - 1];
    if (key === 'Enter') {
      if (isScanBurst(time)) {
        flushTyped();
        segments.push({
          kind: 'scan',
          text: run.chars.join(''),
          startTime: run.times[0] ?? time,
          endTime: time,
        });
        run = emptyRun();
      } else {
        moveRunToTyped();
        if (typed.length === 0) typedStart = time;
        typedEnd = time;
        flushTyped('\n');
      }
      continue;
    }
    if (key === 'Backspace') {
      // Readers never correct themselves: whatever was fast so far was a person.
      moveRunToTyped();
      typed.pop();
      continue;
    }
    if (!isCharacter(key)) continue;
    if (lastTime !== undefined) {
      const gap = time - lastTime;
      if (gap > o.maxHiccupMs || (gap > o.maxGapMs && run.hiccups >= o.maxHiccups)) moveRunToTyped();
      else if (gap > o.maxGapMs) run.hiccups += 1;
    }
    run.chars.push(key);
    run.times.push(time);
  }

  // A trailing run is only "pending" while it still looks like a reader (fast); otherwise it is typing.
  const trailingGaps = run.times.slice(1).map((t, i) => t - (run.times[i] ?? t));
  if (run.chars.length < 2 || median(trailingGaps) > o.maxGapMs) moveRunToTyped();
  flushTyped();
  if (run.chars.length > 0) {
    segments.push({
      kind: 'pending',
      text: run.chars.join(''),
      startTime: run.times[0] ?? Number.NaN,
      endTime: run.times[run.times.length - 1] ?? Number.NaN,
    });
  }
  return segments;
}

/** The payloads of the completed scanner bursts, in order. */
export function scannedPayloads(strokes: readonly KeyStroke[], options: WedgeOptions = {}): string[] {
  return splitKeyboardInput(strokes, options)
    .filter((s) => s.kind === 'scan')
    .map((s) => s.text);
}
