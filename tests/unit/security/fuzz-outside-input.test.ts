import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DESK_CALL_NAMES } from '../../../electron/api/desk-api';
import { DESK_ERROR_CODES } from '../../../electron/api/errors';
import { ConfigError, loadConfig } from '../../../electron/services/config/config';
import { Desk } from '../../../electron/services/desk/desk';
import { parseCccdPayload } from '../../../electron/services/extract/cccd-payload';
import { ExtractError } from '../../../electron/services/extract/errors';
import { decodeImageFile } from '../../../electron/services/imaging/decode';
import { ImagingError } from '../../../electron/services/imaging/errors';
import * as protocol from '../../../electron/services/sync/protocol';
import { signInDesk } from '../../support/desk-call';

/**
 * Every parser of outside input, fed random and hostile data: it answers or refuses with its own clear error,
 * never crashes with something else, never hangs. Bounded runs: this suite stays in seconds.
 */
const tempDir = () => mkdtempSync(join(tmpdir(), 'motcua-fuzz-'));

describe('fuzz: ID card QR payloads', () => {
  it('parses or refuses with ExtractError, whatever a reader types', () => {
    const field = fc.oneof(fc.string({ maxLength: 20 }), fc.stringMatching(/^\d{9,12}$/), fc.constant(''));
    const payload = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.array(field, { minLength: 5, maxLength: 10 }).map((f) => f.join('|')),
      fc.string({ unit: 'binary', maxLength: 200 }),
    );
    fc.assert(
      fc.property(payload, (raw) => {
        try {
          const record = parseCccdPayload(raw);
          expect(record.idNumber).toMatch(/^\d{12}$/);
        } catch (error) {
          expect(error).toBeInstanceOf(ExtractError);
        }
      }),
      { numRuns: 250 },
    );
    expect(() => parseCccdPayload('9'.repeat(1_000_000))).toThrow(ExtractError);
  });
});

describe('fuzz: provincial server answers', () => {
  const schemas = Object.entries(protocol).filter(([, v]) => v instanceof z.ZodType) as [string, z.ZodType][];

  it('every protocol schema answers safeParse (no throw) on random JSON and on hostile shapes', () => {
    expect(schemas.length).toBeGreaterThan(15);
    const hostile: unknown[] = [
      null,
      '',
      [],
      { __proto__: { admin: true } },
      JSON.parse('{"__proto__": {"polluted": 1}, "constructor": {"prototype": {"x": 1}}}'),
      { MaHoSo: 'x'.repeat(1_000_000) },
      Array.from({ length: 10_000 }, () => ({})),
    ];
    let nested: unknown = 1;
    for (let i = 0; i < 5_000; i++) nested = [nested];
    hostile.push(nested, { changes: nested, error: nested });
    for (const [, schema] of schemas)
      for (const value of hostile) expect(() => schema.safeParse(value)).not.toThrow();
    fc.assert(
      fc.property(fc.constantFrom(...schemas), fc.jsonValue({ maxDepth: 4 }), ([, schema], value) => {
        expect(typeof schema.safeParse(value).success).toBe('boolean');
      }),
      { numRuns: 1500 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('fuzz: config files', () => {
  it('loads or refuses with ConfigError on random bytes and random JSON', () => {
    const dir = tempDir();
    const file = join(dir, 'config.json');
    const content = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
      fc.jsonValue({ maxDepth: 4 }).map((v) => Buffer.from(JSON.stringify(v))),
      fc
        .record(
          {
            agencyCode: fc.oneof(fc.string(), fc.integer()),
            ocr: fc.record({ workers: fc.oneof(fc.integer(), fc.string()) }),
            security: fc.record({ retentionDays: fc.oneof(fc.integer(), fc.double(), fc.constant(null)) }),
          },
          { requiredKeys: [] },
        )
        .map((v) => Buffer.from(JSON.stringify(v))),
    );
    fc.assert(
      fc.property(content, (bytes) => {
        writeFileSync(file, bytes);
        try {
          const config = loadConfig(dir, {});
          expect(config.security.retentionDays).toBeGreaterThanOrEqual(1);
        } catch (error) {
          expect(error).toBeInstanceOf(ConfigError);
        }
      }),
      { numRuns: 300 },
    );
    // A directory where the file should be is an unreadable config, not a crash of another kind.
    const other = tempDir();
    mkdirSync(join(other, 'config.json'));
    expect(() => loadConfig(other, {})).toThrow(ConfigError);
  });
});

describe('fuzz: image files', () => {
  it('decodes or refuses with ImagingError on random, truncated and forged-header bytes', async () => {
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAAAAABX3VL4AAAADklEQVR4nGP4z8DAwMAAA/oBAYvT2ZwAAAAASUVORK5CYII=',
      'base64',
    );
    const headers = [
      png.subarray(0, 16),
      Buffer.from('P5\n'),
      Buffer.from('P5\n65535 65535\n255\n'),
      Buffer.from('P6\n3 3\n255\n'),
      Buffer.from([0xff, 0xd8, 0xff, 0xe0]),
      Buffer.from('II*\0'),
      Buffer.from('%PDF-1.7\n'),
    ];
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 2000 }),
      fc
        .tuple(fc.constantFrom(...headers), fc.uint8Array({ maxLength: 500 }))
        .map(([h, b]) => Buffer.concat([h, b])),
      fc.nat({ max: png.length - 1 }).map((n) => png.subarray(0, n)),
    );
    await fc.assert(
      fc.asyncProperty(bytes, async (input) => {
        try {
          const page = await decodeImageFile(new Uint8Array(input));
          expect(page.width).toBeGreaterThan(0);
        } catch (error) {
          expect(error).toBeInstanceOf(ImagingError);
        }
      }),
      { numRuns: 150 },
    );
  }, 60_000);
});

describe('fuzz: desk calls (IPC and web host boundary)', () => {
  const desks: Desk[] = [];
  afterAll(async () => {
    for (const desk of desks) await desk.close();
  });

  it('answers every call name with a result or a clear DeskError, no crash, no hang, DB consistent', async () => {
    const dataDir = tempDir();
    const desk = new Desk({ dataDir, networkPollMs: 0 });
    desks.push(desk);
    const internal: string[] = [];
    const input = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.anything({ maxDepth: 2 }),
      fc.record(
        {
          batchId: fc.oneof(fc.uuid(), fc.string()),
          seq: fc.integer(),
          query: fc.string(),
          files: fc.array(fc.record({ name: fc.string(), base64: fc.string() }), { maxLength: 2 }),
        },
        { requiredKeys: [] },
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...DESK_CALL_NAMES), input, async (name, raw) => {
        // Signed in (again, after a drawn signOut or lockSession), so the input reaches every handler.
        await signInDesk(desk);
        const result = await Promise.race([
          desk.call(name, raw as never),
          new Promise<'hang'>((resolve) => setTimeout(() => resolve('hang'), 15_000).unref()),
        ]);
        expect(result, `${name} hung`).not.toBe('hang');
        if (result === 'hang' || result.ok) return;
        expect(DESK_ERROR_CODES).toContain(result.error.code);
        expect(result.error.message.length).toBeGreaterThan(0);
        if (result.error.code === 'internal') internal.push(name);
      }),
      { numRuns: DESK_CALL_NAMES.length * 8 },
    );
    expect(internal).toEqual([]);
    expect(desk.store.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(desk.store.db.pragma('foreign_key_check')).toEqual([]);
  }, 180_000);
});
