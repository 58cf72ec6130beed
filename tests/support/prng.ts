/**
 * mulberry32: a small seeded PRNG, so fixtures, fault injection and benchmarks are the same run after run.
 * One copy for the imaging fixtures, the sync fixtures and the reference server's `rate=` faults.
 */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
