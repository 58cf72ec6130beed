/** A tiny router: method + path pattern → handler, with the body already read and the caller authenticated. */
import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import type { DeviceRow } from './db';
import type { RequestFaults } from './faults';
import { ApiError, type ApiResponse } from './http-io';
import type { ServerState } from './state';

export interface RouteContext {
  state: ServerState;
  req: IncomingMessage;
  url: URL;
  /** Capture groups of the route pattern, already checked by it. */
  params: string[];
  body: Buffer;
  /** Set for `auth: 'device'` routes. */
  device: DeviceRow | null;
  faults: RequestFaults;
}

export interface Route {
  method: string;
  pattern: RegExp;
  auth: 'none' | 'device' | 'admin';
  /** Overrides the server's body limit (JSON limit for desk routes, the larger admin limit for admin routes). */
  maxBodyBytes?: number;
  handle(ctx: RouteContext): ApiResponse | Promise<ApiResponse>;
}

/** The body as JSON validated by `schema`, or a 400 that says why. */
export function parseJsonBody<T extends z.ZodType>(ctx: RouteContext, schema: T): z.infer<T> {
  let value: unknown;
  try {
    value = JSON.parse(ctx.body.toString('utf8'));
  } catch (error) {
    throw new ApiError(400, 'invalid-json', `body is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 50).map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    }));
    const first = issues[0];
    throw new ApiError(
      400,
      'validation-failed',
      first ? `invalid ${first.path || 'body'}: ${first.message}` : 'invalid body',
      { issues },
    );
  }
  return parsed.data;
}

export const ok = (json: unknown, status = 200): ApiResponse => ({ status, json });
