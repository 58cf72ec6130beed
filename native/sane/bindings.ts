import koffi from 'koffi';
import {
  SaneCap,
  type SaneConstraint,
  type SaneDevice,
  type SaneOptionDescriptor,
  type SaneParameters,
  UNITS,
  unfix,
  VALUE_TYPES,
} from './types';

/**
 * koffi bindings to libsane. Load only inside the libsane worker: libsane is process-global and its calls
 * block, so exactly one thread per process owns it.
 */

type Pointer = bigint;
// koffi functions are untyped at compile time; these are the shapes we declare below.
type AsyncCallback = (error: unknown, result: number) => void;
interface AsyncFn<A extends unknown[]> {
  (...args: A): number;
  async(...args: [...A, AsyncCallback]): void;
}

const SANE_Device = koffi.struct('SANE_Device', {
  name: 'const char *',
  vendor: 'const char *',
  model: 'const char *',
  type: 'const char *',
});
const SANE_Range = koffi.struct('SANE_Range', { min: 'int', max: 'int', quant: 'int' });
const SANE_Option_Descriptor = koffi.struct('SANE_Option_Descriptor', {
  name: 'const char *',
  title: 'const char *',
  desc: 'const char *',
  type: 'int',
  unit: 'int',
  size: 'int',
  cap: 'int',
  constraint_type: 'int',
  // A union of three pointers: read it as an address and decode by constraint_type.
  constraint: 'void *',
});
const SANE_Parameters = koffi.struct('SANE_Parameters', {
  format: 'int',
  last_frame: 'int',
  bytes_per_line: 'int',
  pixels_per_line: 'int',
  lines: 'int',
  depth: 'int',
});

interface RawDescriptor {
  name: string | null;
  title: string | null;
  desc: string | null;
  type: number;
  unit: number;
  size: number;
  cap: number;
  constraint_type: number;
  constraint: Pointer | null;
}

interface RawParameters {
  format: number;
  last_frame: number;
  bytes_per_line: number;
  pixels_per_line: number;
  lines: number;
  depth: number;
}

export interface SaneLibrary {
  init(): { status: number; version: string };
  exit(): void;
  getDevices(localOnly: boolean): { status: number; devices: SaneDevice[] };
  /** Opening can take seconds on USB/network devices: async. */
  open(name: string): Promise<{ status: number; handle: Pointer | null }>;
  close(handle: Pointer): void;
  descriptor(handle: Pointer, index: number): SaneOptionDescriptor | null;
  /** GET_VALUE into / SET_VALUE from `buffer`; returns the status and the SANE_INFO_* bits. */
  control(
    handle: Pointer,
    index: number,
    action: number,
    buffer: Uint8Array,
  ): { status: number; info: number };
  start(handle: Pointer): Promise<number>;
  parameters(handle: Pointer): { status: number; parameters: SaneParameters };
  /** Reads up to `target.length` bytes into `target` on a koffi worker thread, so cancel can run meanwhile. */
  read(handle: Pointer, target: Uint8Array): Promise<{ status: number; length: number }>;
  /**
   * The same read on the calling thread: about a microsecond instead of a koffi pool hand-off (tens of
   * microseconds, 130 of them per grey A4 page). Blocks until the backend has data: see `ReadPacer`.
   */
  readSync(handle: Pointer, target: Uint8Array): { status: number; length: number };
  cancel(handle: Pointer): void;
  strstatus(status: number): string;
}

export function loadSaneLibrary(path: string): SaneLibrary {
  const lib = koffi.load(path);
  const sane_init = lib.func('int sane_init(_Out_ int *version_code, void *authorize)');
  const sane_exit = lib.func('void sane_exit(void)');
  const sane_get_devices = lib.func('int sane_get_devices(_Out_ void **device_list, int local_only)');
  const sane_open = lib.func('int sane_open(const char *name, void *handle_out)') as AsyncFn<
    [string, BigInt64Array]
  >;
  const sane_close = lib.func('void sane_close(void *handle)');
  const sane_get_option_descriptor = lib.func('void *sane_get_option_descriptor(void *handle, int option)');
  const sane_control_option = lib.func(
    'int sane_control_option(void *handle, int option, int action, void *value, _Out_ int *info)',
  );
  const sane_start = lib.func('int sane_start(void *handle)') as AsyncFn<[Pointer]>;
  const sane_get_parameters = lib.func('sane_get_parameters', 'int', [
    'void *',
    koffi.out(koffi.pointer(SANE_Parameters)),
  ]);
  // Raw pointers for data and length: the memory stays put while the read runs on koffi's thread.
  const sane_read = lib.func(
    'int sane_read(void *handle, void *data, int max_length, void *length)',
  ) as AsyncFn<[Pointer, Uint8Array, number, Int32Array]>;
  const sane_cancel = lib.func('void sane_cancel(void *handle)');
  const sane_strstatus = lib.func('const char *sane_strstatus(int status)');

  // One length cell for blocking reads: they never overlap (one thread, one call at a time).
  const readLength = new Int32Array(1);

  const call = <A extends unknown[]>(fn: AsyncFn<A>, ...args: A) =>
    new Promise<number>((resolve, reject) => {
      fn.async(...args, (error, result) => (error ? reject(error) : resolve(result)));
    });

  return {
    init() {
      const version = [0];
      const status = sane_init(version, null) as number;
      const code = version[0] ?? 0;
      return { status, version: `${(code >> 24) & 0xff}.${(code >> 16) & 0xff}.${code & 0xffff}` };
    },
    exit: () => sane_exit(),
    getDevices(localOnly) {
      const out: (Pointer | null)[] = [null];
      const status = sane_get_devices(out, localOnly ? 1 : 0) as number;
      const devices: SaneDevice[] = [];
      const list = out[0];
      if (status === 0 && list) {
        // NULL-terminated array of SANE_Device pointers.
        for (let i = 0; ; i++) {
          const item = koffi.decode(list, i * koffi.sizeof('void *'), 'void *') as Pointer | null;
          if (!item) break;
          const d = koffi.decode(item, SANE_Device) as Record<keyof SaneDevice, string | null>;
          devices.push({
            name: d.name ?? '',
            vendor: d.vendor ?? '',
            model: d.model ?? '',
            type: d.type ?? '',
          });
        }
      }
      return { status, devices };
    },
    async open(name) {
      const out = new BigInt64Array(1);
      const status = await call(sane_open, name, out);
      const handle = out[0] ? BigInt.asUintN(64, out[0]) : null;
      return { status, handle: status === 0 ? handle : null };
    },
    close: (handle) => sane_close(handle),
    descriptor(handle, index) {
      const ptr = sane_get_option_descriptor(handle, index) as Pointer | null;
      return ptr ? decodeDescriptor(index, koffi.decode(ptr, SANE_Option_Descriptor) as RawDescriptor) : null;
    },
    control(handle, index, action, buffer) {
      const info = [0];
      const status = sane_control_option(handle, index, action, buffer, info) as number;
      return { status, info: info[0] ?? 0 };
    },
    start: (handle) => call(sane_start, handle),
    parameters(handle) {
      const raw = {} as RawParameters;
      const status = sane_get_parameters(handle, raw) as number;
      return {
        status,
        parameters: {
          format: raw.format,
          lastFrame: raw.last_frame !== 0,
          bytesPerLine: raw.bytes_per_line,
          pixelsPerLine: raw.pixels_per_line,
          lines: raw.lines,
          depth: raw.depth,
        },
      };
    },
    async read(handle, target) {
      const length = new Int32Array(1);
      const status = await call(sane_read, handle, target, target.length, length);
      return { status, length: length[0] ?? 0 };
    },
    readSync(handle, target) {
      readLength[0] = 0;
      const status = sane_read(handle, target, target.length, readLength);
      return { status, length: readLength[0] ?? 0 };
    },
    cancel: (handle) => sane_cancel(handle),
    strstatus: (status) => (sane_strstatus(status) as string | null) ?? `status ${status}`,
  };
}

function decodeConstraint(raw: RawDescriptor, isFixed: boolean): SaneConstraint {
  const ptr = raw.constraint;
  if (!ptr) return { kind: 'none' };
  const num = (word: number) => (isFixed ? unfix(word) : word);
  switch (raw.constraint_type) {
    case 1: {
      const range = koffi.decode(ptr, SANE_Range) as { min: number; max: number; quant: number };
      return { kind: 'range', min: num(range.min), max: num(range.max), quant: num(range.quant) };
    }
    case 2: {
      // The first word is the list's length.
      const count = koffi.decode(ptr, 'int') as number;
      const words = koffi.decode(ptr, 'int', count + 1) as number[];
      return { kind: 'word-list', values: Array.from(words).slice(1).map(num) };
    }
    case 3: {
      const values: string[] = [];
      const step = koffi.sizeof('void *');
      for (let i = 0; ; i++) {
        const value = koffi.decode(ptr, i * step, 'const char *') as string | null;
        if (value === null) break;
        values.push(value);
      }
      return { kind: 'string-list', values };
    }
    default:
      return { kind: 'none' };
  }
}

function decodeDescriptor(index: number, raw: RawDescriptor): SaneOptionDescriptor {
  const type = VALUE_TYPES[raw.type] ?? 'group';
  return {
    index,
    name: raw.name ?? '',
    title: raw.title ?? '',
    description: raw.desc ?? '',
    type,
    unit: UNITS[raw.unit] ?? 'none',
    size: raw.size,
    cap: raw.cap,
    active: (raw.cap & SaneCap.INACTIVE) === 0,
    settable: (raw.cap & SaneCap.SOFT_SELECT) !== 0,
    advanced: (raw.cap & SaneCap.ADVANCED) !== 0,
    constraint: decodeConstraint(raw, type === 'fixed'),
  };
}
