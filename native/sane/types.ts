/**
 * Plain data shapes of the SANE C API (from /usr/include/sane/sane.h), shared by the libsane worker and the
 * client on the calling thread. No koffi here: importing this module never loads libsane.
 */

export const SaneStatus = {
  GOOD: 0,
  UNSUPPORTED: 1,
  CANCELLED: 2,
  DEVICE_BUSY: 3,
  INVAL: 4,
  EOF: 5,
  JAMMED: 6,
  NO_DOCS: 7,
  COVER_OPEN: 8,
  IO_ERROR: 9,
  NO_MEM: 10,
  ACCESS_DENIED: 11,
} as const;

const STATUS_NAMES = Object.fromEntries(Object.entries(SaneStatus).map(([name, code]) => [code, name]));

/** `SANE_STATUS_JAMMED` for 6; unknown codes (newer backends) stay readable. */
export function saneStatusName(status: number): string {
  const name = STATUS_NAMES[status];
  return name ? `SANE_STATUS_${name}` : `SANE_STATUS_${status}`;
}

export type SaneValueType = 'bool' | 'int' | 'fixed' | 'string' | 'button' | 'group';
export const VALUE_TYPES: readonly SaneValueType[] = ['bool', 'int', 'fixed', 'string', 'button', 'group'];

export type SaneUnit = 'none' | 'pixel' | 'bit' | 'mm' | 'dpi' | 'percent' | 'microsecond';
export const UNITS: readonly SaneUnit[] = ['none', 'pixel', 'bit', 'mm', 'dpi', 'percent', 'microsecond'];

export const SaneCap = {
  SOFT_SELECT: 1 << 0,
  HARD_SELECT: 1 << 1,
  SOFT_DETECT: 1 << 2,
  EMULATED: 1 << 3,
  AUTOMATIC: 1 << 4,
  INACTIVE: 1 << 5,
  ADVANCED: 1 << 6,
} as const;

export const SaneInfo = {
  INEXACT: 1 << 0,
  RELOAD_OPTIONS: 1 << 1,
  RELOAD_PARAMS: 1 << 2,
} as const;

export const SaneAction = { GET_VALUE: 0, SET_VALUE: 1, SET_AUTO: 2 } as const;

/** Constraint of an option; numbers of `fixed` options are already converted from 16.16 to decimals. */
export type SaneConstraint =
  | { kind: 'none' }
  | { kind: 'range'; min: number; max: number; quant: number }
  | { kind: 'word-list'; values: number[] }
  | { kind: 'string-list'; values: string[] };

export type SaneValue = boolean | number | string | number[];

export interface SaneOptionDescriptor {
  /** Position in the backend's option table; 0 is the option count. */
  index: number;
  /** Command-line name (`resolution`, `source`); empty for groups. */
  name: string;
  title: string;
  description: string;
  type: SaneValueType;
  unit: SaneUnit;
  /** Bytes of the value: 4 per word for bool/int/fixed (more means an array), buffer size for strings. */
  size: number;
  cap: number;
  active: boolean;
  settable: boolean;
  advanced: boolean;
  constraint: SaneConstraint;
  /** Current value when the option is active and readable; undefined otherwise. */
  value?: SaneValue;
}

export interface SaneDevice {
  name: string;
  vendor: string;
  model: string;
  type: string;
}

export const SaneFrame = { GRAY: 0, RGB: 1, RED: 2, GREEN: 3, BLUE: 4 } as const;

export interface SaneParameters {
  format: number;
  lastFrame: boolean;
  bytesPerLine: number;
  pixelsPerLine: number;
  /** -1 when the backend does not know the page length in advance (hand scanners, some ADFs). */
  lines: number;
  depth: number;
}

const FIXED_SCALE = 1 << 16;
/** SANE_Fixed is a 16.16 signed fixed-point word. */
export const unfix = (word: number): number => word / FIXED_SCALE;
export const fix = (value: number): number => Math.round(value * FIXED_SCALE) | 0;
