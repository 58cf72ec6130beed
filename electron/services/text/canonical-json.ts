/**
 * Canonical JSON, the one the desk hashes with: the audit chain and the dossier content hash the provincial
 * server verifies (sync/PROTOCOL.md). Object keys sorted by UTF-16 code units, no whitespace, strings and keys
 * NFC (a name typed with combining marks hashes like the precomposed one), undefined object members left out.
 * What JSON cannot say exactly is refused rather than guessed: NaN, Infinity, undefined in an array, bigint,
 * functions and symbols.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonical JSON cannot hold NaN or Infinity');
    return JSON.stringify(value);
  }
  if (typeof value === 'string') return JSON.stringify(value.normalize('NFC'));
  if (Array.isArray(value))
    return `[${value
      .map((item) => {
        if (item === undefined) throw new TypeError('canonical JSON cannot hold undefined in an array');
        return canonicalJson(item);
      })
      .join(',')}]`;
  if (typeof value !== 'object') throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
  const members: [string, unknown][] = [];
  for (const [key, item] of Object.entries(value))
    if (item !== undefined) members.push([key.normalize('NFC'), item]);
  members.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${members.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
}
