import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { DeskCalls } from '../../../electron/api/desk-api';
import { callInputSchemas, type SchemaMatchesInput } from '../../../electron/services/desk/call-schemas';

/**
 * The type-level half runs under `tsc --noEmit -p .` (tests are in the project): each `@ts-expect-error` below
 * must meet an error, or tsc fails with "unused directive". The runtime half keeps vitest honest about the files.
 */
const exact = z.object({ query: z.string(), limit: z.number().optional() }).strict();
const limitRequired = z.object({ query: z.string(), limit: z.number() }).strict();
const queryMissing = z.object({ limit: z.number().optional() }).strict();
const wrongType = z.object({ query: z.number(), limit: z.number().optional() }).strict();
type SearchInput = DeskCalls['searchProcedures']['input'];

const matches: SchemaMatchesInput<typeof exact, SearchInput> = true;
// @ts-expect-error a required field where the call's input has it optional is a mismatch
const required: SchemaMatchesInput<typeof limitRequired, SearchInput> = true;
// @ts-expect-error a schema missing a field of the input type is a mismatch
const missing: SchemaMatchesInput<typeof queryMissing, SearchInput> = true;
// @ts-expect-error a field of another type is a mismatch
const typed: SchemaMatchesInput<typeof wrongType, SearchInput> = true;
// The desk's own schema for the call matches (the check over every call lives in call-schemas.ts).
const desks: SchemaMatchesInput<(typeof callInputSchemas)['searchProcedures'], SearchInput> = true;

describe('desk call schemas match their input types', () => {
  it('accepts the exact schema and the desk schema at runtime the same way', () => {
    expect([matches, required, missing, typed, desks]).toEqual([true, true, true, true, true]);
    const input = { query: 'khai sinh', limit: 5 };
    expect(exact.parse(input)).toEqual(callInputSchemas.searchProcedures.parse(input));
  });
});
