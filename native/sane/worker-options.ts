/** SANE options: descriptors read and re-read as SANE asks, values encoded, decoded and set. */
import type { SaneLibrary } from './bindings';
import type { SetResult } from './protocol';
import {
  fix,
  SaneAction,
  SaneInfo,
  type SaneOptionDescriptor,
  SaneStatus,
  type SaneValue,
  unfix,
} from './types';
import { fail, type OpenDevice, SaneCallError } from './worker-device';

function readValue(lib: SaneLibrary, dev: OpenDevice, d: SaneOptionDescriptor): SaneValue | undefined {
  if (!d.active || d.type === 'group' || d.type === 'button' || d.size <= 0) return undefined;
  const buffer = new Uint8Array(Math.max(4, d.size));
  const { status } = lib.control(dev.pointer, d.index, SaneAction.GET_VALUE, buffer);
  if (status !== SaneStatus.GOOD) return undefined;
  return decodeValue(d, buffer);
}

function decodeValue(d: SaneOptionDescriptor, buffer: Uint8Array): SaneValue {
  if (d.type === 'string') {
    const end = buffer.indexOf(0);
    return new TextDecoder().decode(buffer.subarray(0, end < 0 ? buffer.length : end));
  }
  const words = new Int32Array(buffer.buffer, buffer.byteOffset, Math.max(1, d.size >> 2));
  if (d.type === 'bool') return words[0] !== 0;
  const values = Array.from(words, (w) => (d.type === 'fixed' ? unfix(w) : w));
  return values.length === 1 ? (values[0] as number) : values;
}

function encodeValue(d: SaneOptionDescriptor, value: SaneValue): Uint8Array {
  const buffer = new Uint8Array(Math.max(4, d.size));
  if (d.type === 'string') {
    const bytes = new TextEncoder().encode(String(value));
    if (bytes.length + 1 > buffer.length)
      throw new SaneCallError('set', SaneStatus.INVAL, `value too long for option ${d.name}`);
    buffer.set(bytes);
    return buffer;
  }
  const words = new Int32Array(buffer.buffer, 0, buffer.length >> 2);
  const list = Array.isArray(value) ? value : [value];
  if (d.type === 'bool') {
    words[0] = list[0] === true || list[0] === 1 ? 1 : 0;
    return buffer;
  }
  for (let i = 0; i < words.length; i++) {
    // A single number given for an array option fills every element (e.g. a flat gamma table).
    const v = Number(list.length === 1 ? list[0] : list[i]);
    if (!Number.isFinite(v))
      throw new SaneCallError('set', SaneStatus.INVAL, `option ${d.name} needs numbers`);
    words[i] = d.type === 'fixed' ? fix(v) : Math.round(v);
  }
  return buffer;
}

/** Reads every descriptor (backends like `test` refuse control_option on options not re-read) and values. */
export function loadOptions(lib: SaneLibrary, dev: OpenDevice): SaneOptionDescriptor[] {
  const count = new Uint8Array(4);
  const { status } = lib.control(dev.pointer, 0, SaneAction.GET_VALUE, count);
  if (status !== SaneStatus.GOOD) fail(lib, 'sane_control_option(0)', status);
  const total = new Int32Array(count.buffer)[0] ?? 0;
  const options: SaneOptionDescriptor[] = [];
  for (let i = 1; i < total; i++) {
    const d = lib.descriptor(dev.pointer, i);
    if (d) options.push(d);
  }
  for (const d of options) {
    const value = readValue(lib, dev, d);
    if (value !== undefined) d.value = value;
  }
  dev.options = options;
  return options;
}

export function setOption(
  lib: SaneLibrary,
  dev: OpenDevice,
  name: string,
  value: SaneValue | { auto: true },
): SetResult {
  if (dev.scanning)
    throw new SaneCallError('set', SaneStatus.DEVICE_BUSY, 'cannot change options while scanning');
  const known = dev.options.find((o) => o.name === name);
  if (!known) throw new SaneCallError('set', SaneStatus.UNSUPPORTED, `no option named ${name}`);
  // Read the descriptor again right before setting it: constraints and activity change with other options.
  const d = lib.descriptor(dev.pointer, known.index);
  if (!d || d.name !== name) throw new SaneCallError('set', SaneStatus.INVAL, `option ${name} moved; reload`);
  if (!d.active) throw new SaneCallError('set', SaneStatus.INVAL, `option ${name} is inactive`);
  if (!d.settable) throw new SaneCallError('set', SaneStatus.INVAL, `option ${name} is not settable`);
  const auto = typeof value === 'object' && !Array.isArray(value);
  const buffer = auto ? new Uint8Array(Math.max(4, d.size)) : encodeValue(d, value);
  const { status, info } = lib.control(
    dev.pointer,
    d.index,
    auto ? SaneAction.SET_AUTO : SaneAction.SET_VALUE,
    buffer,
  );
  if (status !== SaneStatus.GOOD) fail(lib, `set ${name}`, status);
  if (info & SaneInfo.RELOAD_OPTIONS) {
    const options = loadOptions(lib, dev);
    return { info, value: options.find((o) => o.name === name)?.value, options };
  }
  Object.assign(known, d);
  const kept = readValue(lib, dev, d);
  if (kept !== undefined) known.value = kept;
  return { info, value: kept };
}
