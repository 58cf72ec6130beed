import { z } from 'zod';
import type { DeskCallName, DeskCalls } from '../../api/desk-api';
import { SETTING_KEYS } from '../config/config';

// Zod's own messages (wrong type, too long…) in Vietnamese, like ours.
z.config(z.locales.vi());

const personOrProcedureName = z
  .string()
  .trim()
  .min(1, 'không được để trống')
  .max(300, 'quá dài (tối đa 300 ký tự)')
  // Control characters never belong in a name; they would corrupt printed forms.
  .refine((s) => !/\p{Cc}/u.test(s), 'có ký tự điều khiển không hợp lệ');

const noInput = z
  .undefined()
  .or(z.null())
  .transform(() => undefined);

const batchId = z.uuid();
const deviceId = z.string().min(1).max(200);
const scanSettings = z
  .object({
    source: z.enum(['flatbed', 'adf', 'duplex']),
    resolution: z.number().int().min(50).max(1200),
    mode: z.enum(['color', 'gray', 'bw']),
    pageSize: z.enum(['A4', 'A5', 'Letter']),
  })
  .strict();
const profileName = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .refine((s) => !/\p{Cc}/u.test(s), 'có ký tự điều khiển không hợp lệ');

/** Input schema of every desk call: the boundary where renderer input is checked, whatever the transport. */
export const callInputSchemas = {
  getStatus: noInput,
  listDossiers: z
    .object({
      query: z.string().max(200).optional(),
      limit: z.number().int().min(1).max(1000).optional(),
    })
    .strict()
    .default({}),
  listScanners: noInput,
  startScan: z.object({ deviceId, settings: scanSettings, profileName: profileName.optional() }).strict(),
  cancelScan: z.object({ batchId }).strict(),
  resumeScan: z.object({ batchId }).strict(),
  listUnfinishedScans: noInput,
  getScanBatch: z.object({ batchId }).strict(),
  editScanPage: z
    .object({
      batchId,
      seq: z.number().int().min(1),
      edit: z.enum(['rotate-left', 'rotate-right', 'delete', 'move-earlier', 'move-later']),
    })
    .strict(),
  rescanPage: z.object({ batchId, seq: z.number().int().min(1), deviceId }).strict(),
  saveScanProfile: z
    .object({ deviceId, name: profileName, settings: scanSettings, isDefault: z.boolean() })
    .strict(),
  importPages: z
    .object({
      files: z
        .array(
          z
            .object({
              name: z.string().min(1).max(255),
              // ~24 MB of image per file once decoded from base64; the web host caps the request too.
              base64: z.base64().max(32 * 1024 * 1024),
            })
            .strict(),
        )
        .min(1)
        .max(50),
    })
    .strict(),
  getOcrStatus: z.object({ batchId }).strict(),
  getPageText: z.object({ batchId, seq: z.number().int().min(1) }).strict(),
  searchDocuments: z.object({ query: z.string().max(200) }).strict(),
  extractFromPage: z.object({ batchId, seq: z.number().int().min(1) }).strict(),
  // The parser itself enforces the card format; this only bounds what may cross the boundary.
  readCccdQr: z.object({ payload: z.string().max(2000) }).strict(),
  getSyncState: noInput,
  syncNow: noInput,
  enrolDesk: z
    .object({
      serverUrl: z.url().max(500),
      code: z.string().trim().min(6).max(64),
    })
    .strict(),
  getSession: noInput,
  listClerks: noInput,
  // PIN format (4–8 digits) is checked by the clerks service, which answers in Vietnamese.
  setupFirstAdmin: z.object({ name: personOrProcedureName, pin: z.string().max(64) }).strict(),
  signIn: z.object({ clerkId: z.string().min(1).max(64), pin: z.string().max(64) }).strict(),
  signOut: noInput,
  lockSession: noInput,
  createClerk: z
    .object({ name: personOrProcedureName, pin: z.string().max(64), role: z.enum(['clerk', 'admin', 'it']) })
    .strict(),
  searchProcedures: z
    .object({ query: z.string().max(200), limit: z.number().int().min(1).max(200).optional() })
    .strict(),
  startReception: z
    .object({
      procedureCode: z.string().trim().min(1).max(60),
      // Only bounds here: the reception service checks the text itself and names the field in Vietnamese.
      applicant: z
        .object({
          fullName: z.string().max(300),
          idNumber: z.string().max(20),
          dateOfBirth: z.iso.date().optional(),
          sex: z.string().max(20).optional(),
          address: z.string().max(500).optional(),
          phone: z.string().max(30).optional(),
          email: z.string().max(200).optional(),
        })
        .strict(),
      prefill: z
        .object({ prefilled: z.number().int().min(0).max(1000), typed: z.number().int().min(0).max(1000) })
        .strict()
        .optional(),
    })
    .strict(),
  getReception: z.object({ dossierId: z.string().min(1).max(64) }).strict(),
  attachScan: z
    .object({
      dossierId: z.string().min(1).max(64),
      componentCode: z.string().min(1).max(60),
      batchId,
      pagesPerComponent: z.array(z.number().int().min(1).max(9999)).min(1).max(100).optional(),
    })
    .strict(),
  reuseDocument: z
    .object({
      dossierId: z.string().min(1).max(64),
      componentCode: z.string().min(1).max(60),
      documentId: z.string().min(1).max(200),
    })
    .strict(),
  completeReception: z.object({ dossierId: z.string().min(1).max(64) }).strict(),
  requestSupplement: z
    .object({
      dossierId: z.string().min(1).max(64),
      componentCodes: z.array(z.string().min(1).max(60)).min(1).max(100),
      note: z.string().max(2000).optional(),
    })
    .strict(),
  refuseDossier: z
    .object({ dossierId: z.string().min(1).max(64), reason: z.string().trim().min(1).max(2000) })
    .strict(),
  getDossierForm: z
    .object({ dossierId: z.string().min(1).max(64), form: z.enum(['receipt', 'supplement', 'refusal']) })
    .strict(),
  printForm: z
    .object({ dossierId: z.string().min(1).max(64), form: z.enum(['receipt', 'supplement', 'refusal']) })
    .strict(),
  prefillReport: z
    .object({ from: z.iso.date().optional(), to: z.iso.date().optional() })
    .strict()
    .default({}),
  qualityReport: z
    .object({
      from: z.iso.date().optional(),
      to: z.iso.date().optional(),
      period: z
        .string()
        .regex(/^\d{4}(-Q[1-4]|-\d{2})?$/)
        .optional(),
      clerkId: z.string().min(1).max(64).optional(),
      formulaSet: z.string().min(1).max(60).optional(),
      withDossiers: z.boolean().optional(),
    })
    .strict()
    .optional(),
  getRatingPrompt: noInput,
  dueDossiers: noInput,
  trackDossier: z.object({ code: z.string().trim().min(1).max(64) }).strict(),
  recordRating: z
    .object({
      dossierId: z.string().min(1).max(64),
      step: z.enum(['reception', 'result-return']),
      level: z.enum(['very-satisfied', 'satisfied', 'dissatisfied']),
      reasons: z
        .array(z.enum(['attitude', 'unclear-guidance', 'long-wait', 'documents-already-held']))
        .max(4)
        .optional(),
    })
    .strict(),
  returnResult: z
    .object({
      dossierId: z.string().min(1).max(64),
      kind: z.enum(['e-result', 'paper-scan', 'paper']),
      file: z
        .object({
          name: z.string().trim().min(1).max(255),
          mimeType: z.enum(['application/pdf', 'image/jpeg', 'image/png']),
          dataBase64: z.base64().max(70_000_000),
        })
        .strict()
        .optional(),
    })
    .strict(),
  getStoreInfo: noInput,
  checkStoreIntegrity: z.object({ full: z.boolean() }).strict(),
  verifyAuditLog: noInput,
  purgeExpired: z.object({ dryRun: z.boolean() }).strict(),
  getKeyStatus: z.object({ seal: z.boolean() }).strict(),
  beginKeyRotation: noInput,
  listParkedDossiers: noInput,
  runSync: z.object({ once: z.boolean() }).strict(),
  stopSync: noInput,
  // The calendar checks the values and answers in Vietnamese; this only bounds what crosses the boundary.
  describeCalendarDay: z.object({ date: z.string().max(40) }).strict(),
  computeDueDate: z
    .object({ received: z.string().max(60), amount: z.number().or(z.nan()), unit: z.string().max(40) })
    .strict(),
  scanTest: z
    .object({
      deviceId,
      // Each setting optional: what is not given comes from the model's default profile or the device.
      settings: scanSettings.partial(),
      profileName: profileName.optional(),
      saveProfile: profileName.optional(),
      pdf: z.boolean(),
    })
    .strict(),
  getSettings: noInput,
  // The key's own schema (the one config.json is read with) checks the value in the settings service.
  setSetting: z
    .object({
      key: z.string().refine((key) => SETTING_KEYS.includes(key), 'không có cài đặt này'),
      value: z.union([
        z.string().max(2000),
        z.number(),
        z.boolean(),
        z.null(),
        z.array(z.string().max(2000)).max(16).readonly(),
      ]),
    })
    .strict(),
  createDiagnosticsBundle: noInput,
} satisfies { [K in DeskCallName]: z.ZodType<DeskCalls[K]['input']> };

/**
 * True when a schema's parsed output is exactly the call's input type (each assignable to the other), so a
 * schema and its `DeskCalls` entry cannot drift apart: the handler receives what the type promises.
 */
export type SchemaMatchesInput<Schema extends z.ZodType, Input> = [z.output<Schema>] extends [Input]
  ? [Input] extends [z.output<Schema>]
    ? true
    : false
  : false;

/** The calls whose schema does not match their input type; `never` when all agree. */
type MismatchedSchemas = {
  [K in DeskCallName]: SchemaMatchesInput<(typeof callInputSchemas)[K], DeskCalls[K]['input']> extends true
    ? never
    : K;
}[DeskCallName];

// Compile-time check: a mismatch fails `tsc` here, and the error names the call.
const everySchemaMatchesItsInput: [MismatchedSchemas] extends [never] ? true : MismatchedSchemas = true;
void everySchemaMatchesItsInput;
