/** Admin API of the reference server (Authorization: Bearer <admin token>); never subject to faults. */
import { z } from 'zod';
import {
  CatalogChange,
  CodeRangeChange,
  HolidayTableChange,
  nationalDateTime,
  trangThaiHoSo,
} from '../../electron/services/sync/protocol';
import { RegisterCitizenDocument, registerCitizenDocument } from './citizen-documents';
import { appendChange, type DeviceRow, type DossierRow, getDevice } from './db';
import { dossierRecord, pushDossierStatus } from './dossiers';
import { issueEnrolCode, revokeDevice } from './enrolment';
import { ApiError } from './http-io';
import { ok, parseJsonBody, type Route } from './router';

const UUID = '([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})';

export const IssueEnrolCodeRequest = z.strictObject({
  code: z.string().optional(),
  agencyCode: z
    .string()
    .regex(/^[0-9A-Za-z.]{3,40}$/)
    .optional(),
  deskSlot: z.int().optional(),
});

export const SetFaultsRequest = z.strictObject({ spec: z.string().max(4096) });

export const PushStatusRequest = z.strictObject({
  TrangThaiHoSo: trangThaiHoSo,
  NgayKetThucXuLy: nationalDateTime.optional(),
  TienTrinh: z
    .array(
      z.strictObject({
        NguoiXuLy: z.string().min(1).max(200),
        ChucDanh: z.string().max(200).optional(),
        ThoiDiemXuLy: nationalDateTime,
        PhongBanXuLy: z.string().max(200).optional(),
        NoiDungXuLy: z.string().min(1).max(2000),
        TrangThai: trangThaiHoSo,
      }),
    )
    .max(50)
    .optional(),
});

export const PushChangeRequest = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('catalog'), deviceId: z.uuid().optional(), data: CatalogChange }),
  z.strictObject({ kind: z.literal('holidays'), deviceId: z.uuid().optional(), data: HolidayTableChange }),
  z.strictObject({ kind: z.literal('code-range'), deviceId: z.uuid(), data: CodeRangeChange }),
]);

export const adminRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^\/v1\/admin\/dossiers$/,
    auth: 'admin',
    handle: (ctx) => {
      const rows = ctx.state.db
        .prepare('SELECT * FROM dossiers ORDER BY created_at, desk_uuid')
        .all() as DossierRow[];
      return ok({
        dossiers: rows.map((row) => ({ ...dossierRecord(ctx.state, row), deviceId: row.device_id })),
      });
    },
  },
  {
    method: 'GET',
    pattern: /^\/v1\/admin\/devices$/,
    auth: 'admin',
    handle: (ctx) => {
      const rows = ctx.state.db.prepare('SELECT * FROM devices ORDER BY enrolled_at').all() as DeviceRow[];
      return ok({
        devices: rows.map((d) => ({
          deviceId: d.id,
          deskName: d.desk_name,
          MaCoQuan: d.agency_code,
          deskSlot: d.desk_slot,
          enrolledAt: d.enrolled_at,
          revokedAt: d.revoked_at,
        })),
      });
    },
  },
  {
    method: 'POST',
    pattern: /^\/v1\/admin\/enrolment-codes$/,
    auth: 'admin',
    handle: (ctx) => ok(issueEnrolCode(ctx.state, parseJsonBody(ctx, IssueEnrolCodeRequest)), 201),
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/v1/admin/devices/${UUID}/revoke$`),
    auth: 'admin',
    handle: (ctx) => ok(revokeDevice(ctx.state, (ctx.params[0] ?? '').toLowerCase())),
  },
  {
    method: 'GET',
    pattern: /^\/v1\/admin\/faults$/,
    auth: 'admin',
    handle: (ctx) => ok({ spec: ctx.state.faults.spec, rules: ctx.state.faults.report() }),
  },
  {
    method: 'PUT',
    pattern: /^\/v1\/admin\/faults$/,
    auth: 'admin',
    handle: (ctx) => {
      const { spec } = parseJsonBody(ctx, SetFaultsRequest);
      try {
        ctx.state.faults.set(spec);
      } catch (error) {
        throw new ApiError(400, 'bad-request', `bad fault spec: ${(error as Error).message}`);
      }
      ctx.state.logger.info('faults.set', { rules: ctx.state.faults.report().length });
      return ok({ spec: ctx.state.faults.spec, rules: ctx.state.faults.report() });
    },
  },
  {
    method: 'POST',
    pattern: new RegExp(`^/v1/admin/dossiers/${UUID}/status$`),
    auth: 'admin',
    handle: (ctx) => {
      const seq = pushDossierStatus(
        ctx.state,
        (ctx.params[0] ?? '').toLowerCase(),
        parseJsonBody(ctx, PushStatusRequest),
      );
      return ok({ seq: String(seq) }, 201);
    },
  },
  {
    method: 'POST',
    pattern: /^\/v1\/admin\/changes$/,
    auth: 'admin',
    handle: (ctx) => {
      const change = parseJsonBody(ctx, PushChangeRequest);
      if (change.deviceId && !getDevice(ctx.state.db, change.deviceId)) {
        throw new ApiError(404, 'not-found', 'no such device');
      }
      const seq = appendChange(
        ctx.state.db,
        change.kind,
        change.data,
        change.deviceId ?? null,
        ctx.state.clock(),
      );
      return ok({ seq: String(seq) }, 201);
    },
  },
  {
    method: 'POST',
    pattern: /^\/v1\/admin\/citizen-documents$/,
    auth: 'admin',
    handle: (ctx) => ok(registerCitizenDocument(ctx.state, parseJsonBody(ctx, RegisterCitizenDocument)), 201),
  },
  {
    method: 'GET',
    pattern: /^\/v1\/admin\/requests$/,
    auth: 'admin',
    handle: (ctx) => {
      const after = Number(ctx.url.searchParams.get('after') ?? '0');
      return ok({ requests: ctx.state.requests.list(Number.isSafeInteger(after) ? after : 0) });
    },
  },
];
