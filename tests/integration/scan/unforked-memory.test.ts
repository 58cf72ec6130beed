import { readFileSync } from 'node:fs';
import koffi from 'koffi';
import { describe, expect, it } from 'vitest';
import { allocateUnforked, isUnforked } from '../../../native/sane/unforked-memory';

/** The kernel's flags for the mapping that holds `address` (`dc`: not copied into a forked child). */
function vmFlagsAt(address: bigint): string[] {
  let inside = false;
  for (const line of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    const range = /^([0-9a-f]+)-([0-9a-f]+) /.exec(line);
    if (range) inside = BigInt(`0x${range[1]}`) <= address && address < BigInt(`0x${range[2]}`);
    else if (inside && line.startsWith('VmFlags:')) return line.slice(8).trim().split(/\s+/);
  }
  throw new Error(`no mapping holds 0x${address.toString(16)}`);
}

const memmove = koffi.load(null).func('uintptr_t memmove(void *dest, void *src, size_t n)');
const addressOf = (buffer: Uint8Array) => BigInt(memmove(buffer, buffer, 0) as number | bigint);

describe.runIf(process.platform === 'linux')('buffers a forked child does not inherit', () => {
  it('are page-aligned and marked do-not-copy-on-fork by the kernel, plain or shared', () => {
    for (const shared of [false, true]) {
      const buffer = allocateUnforked(3 * 4096 + 100, { shared });
      expect(buffer.length).toBe(3 * 4096 + 100);
      expect(buffer.buffer instanceof SharedArrayBuffer).toBe(shared);
      const address = addressOf(buffer);
      expect(address % 4096n).toBe(0n);
      expect(isUnforked(buffer)).toBe(true);
      expect(vmFlagsAt(address)).toContain('dc');
      expect(vmFlagsAt(address + 3n * 4096n)).toContain('dc');
    }
  });

  it('an ordinary buffer is not', () => {
    const plain = new Uint8Array(1 << 20);
    expect(isUnforked(plain)).toBe(false);
    expect(vmFlagsAt(addressOf(plain))).not.toContain('dc');
  });
});
