import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeProvincialServer } from '../../../electron/services/sync/connectivity';
import type { DossierRecord, EnrolResponse } from '../../../electron/services/sync/protocol';
import { parseFaultSpec } from '../../provincial/faults';
import type { RequestLogEntry } from '../../provincial/request-log';
import {
  admin,
  dossierPayload,
  enrol,
  prepareSigned,
  signed,
  startTestServer,
  type TestServer,
} from './helpers';

describe('fault spec parsing', () => {
  it('reads every kind and its scoping parameters', () => {
    const rules = parseFaultSpec(
      'error:status=502,count=3; drop-request:bytes=10,method=PATCH|PUT,path=/v1/uploads/*;' +
        'drop-response;slow:delay=20,bps=1000,after=2;duplicate:mode=answer,rate=0.5,seed=9',
    );
    expect(rules.map((r) => r.kind)).toEqual(['error', 'drop-request', 'drop-response', 'slow', 'duplicate']);
    expect(rules[0]).toMatchObject({ status: 502, count: 3 });
    expect(rules[1]).toMatchObject({ bytes: 10, methods: ['PATCH', 'PUT'], pathText: '/v1/uploads/*' });
    expect(rules[1]?.path?.test('/v1/uploads/abc')).toBe(true);
    expect(rules[1]?.path?.test('/v1/dossiers/abc')).toBe(false);
    expect(rules[3]).toMatchObject({ delayMs: 20, bytesPerSecond: 1000, after: 2 });
    expect(rules[4]).toMatchObject({ mode: 'answer', rate: 0.5, seed: 9 });
    expect(parseFaultSpec('  ')).toEqual([]);
  });

  it('refuses bad specs with a reason', () => {
    expect(() => parseFaultSpec('explode')).toThrow(/unknown fault kind/);
    expect(() => parseFaultSpec('error:status=404')).toThrow(/500..599/);
    expect(() => parseFaultSpec('drop-request')).toThrow(/bytes/);
    expect(() => parseFaultSpec('slow')).toThrow(/delay/);
    expect(() => parseFaultSpec('error:rate=2')).toThrow(/rate/);
    expect(() => parseFaultSpec('error:path=../x')).toThrow(/path/);
    expect(() => parseFaultSpec('error:colour=red')).toThrow(/unknown fault parameter/);
  });
});

describe('provincial server: fault injection', () => {
  let server: TestServer;
  let desk: EnrolResponse;

  const requestsSince = async (after: number) =>
    (await admin<{ requests: RequestLogEntry[] }>(server, 'GET', `/v1/admin/requests?after=${after}`)).json
      .requests;
  const setFaults = async (spec: string) => {
    const result = await admin(server, 'PUT', '/v1/admin/faults', { spec });
    expect(result.status).toBe(200);
  };

  beforeAll(async () => {
    server = await startTestServer();
    desk = await enrol(server);
  });
  afterAll(() => server.stop());

  it('answers a burst of 5xx, then recovers; admin calls are never faulted', async () => {
    await setFaults('error:status=503,count=2,path=/v1/changes');
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      statuses.push((await signed(server, desk, { method: 'GET', path: '/v1/changes' })).status);
    }
    expect(statuses).toEqual([503, 503, 200]);
    const state = await admin<{ rules: { applied: number; remaining: number }[] }>(
      server,
      'GET',
      '/v1/admin/faults',
    );
    expect(state.json.rules[0]).toMatchObject({ applied: 2, remaining: 0 });
    await setFaults('');
  });

  it('answers 5xx at a seeded rate, the same way on every run', async () => {
    const run = async () => {
      await setFaults('error:status=500,rate=0.5,seed=42,path=/v1/health');
      const statuses: number[] = [];
      for (let i = 0; i < 20; i++) statuses.push((await fetch(`${server.url}/v1/health`)).status);
      return statuses;
    };
    const first = await run();
    const failures = first.filter((s) => s === 500).length;
    expect(failures).toBeGreaterThan(3);
    expect(failures).toBeLessThan(17);
    expect(await run()).toEqual(first);
    const probe = await probeProvincialServer(server.url);
    expect(typeof probe.reachable).toBe('boolean');
    await setFaults('');
  });

  it('drops a request mid-body: the client sees a broken connection and nothing is applied', async () => {
    const payload = dossierPayload([]);
    const path = `/v1/dossiers/${payload.DeskUuid}`;
    await setFaults('drop-request:bytes=100,method=PUT,count=1');
    await expect(signed(server, desk, { method: 'PUT', path, body: payload })).rejects.toThrow();
    const listing = await admin<{ dossiers: DossierRecord[] }>(server, 'GET', '/v1/admin/dossiers');
    expect(listing.json.dossiers.some((d) => d.DeskUuid === payload.DeskUuid)).toBe(false);
    // The retry goes through (count=1) and is applied once.
    expect((await signed(server, desk, { method: 'PUT', path, body: payload })).status).toBe(200);
    await setFaults('');
  });

  it('drops the response after applying: the retry finds the same record', async () => {
    const payload = dossierPayload([]);
    const path = `/v1/dossiers/${payload.DeskUuid}`;
    await setFaults('drop-response:bytes=40,method=PUT,count=1');
    await expect(signed(server, desk, { method: 'PUT', path, body: payload })).rejects.toThrow();
    const listing = await admin<{ dossiers: DossierRecord[] }>(server, 'GET', '/v1/admin/dossiers');
    const stored = listing.json.dossiers.find((d) => d.DeskUuid === payload.DeskUuid);
    expect(stored?.revision).toBe(1);
    const retry = await signed<DossierRecord>(server, desk, { method: 'PUT', path, body: payload });
    expect(retry.status).toBe(200);
    expect(retry.json.revision).toBe(1);
    expect(retry.json.createdAt).toBe(stored?.createdAt);
    await setFaults('');
  });

  it('slows answers down by a delay and by a bandwidth cap', async () => {
    await setFaults('slow:delay=300,path=/v1/health,count=1');
    let started = performance.now();
    expect((await fetch(`${server.url}/v1/health`)).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);

    // ~1.8 KB feed answer at 3 KB/s: about 0.6 s.
    for (let i = 0; i < 10; i++) {
      await admin(server, 'POST', '/v1/admin/changes', {
        kind: 'holidays',
        data: { year: 2026, version: String(i), source: 'test', daysOff: ['2026-09-02'], workingDays: [] },
      });
    }
    const unthrottled = await signed(server, desk, { method: 'GET', path: '/v1/changes' });
    const bytes = JSON.stringify(unthrottled.json).length;
    expect(bytes).toBeGreaterThan(1500);
    await setFaults('slow:bps=3000,path=/v1/changes,count=1');
    const before = server.requests.lastId;
    started = performance.now();
    const slow = await signed(server, desk, { method: 'GET', path: '/v1/changes' });
    const elapsed = performance.now() - started;
    expect(slow.json).toEqual(unthrottled.json);
    expect(elapsed).toBeGreaterThanOrEqual((bytes / 3000) * 1000 * 0.7);
    expect((await requestsSince(before))[0]?.faults).toEqual(['bandwidth@3000']);
    await setFaults('');
  });

  it('applies a request twice (duplicate delivery) without a second effect', async () => {
    const payload = dossierPayload([]);
    const path = `/v1/dossiers/${payload.DeskUuid}`;
    await setFaults('duplicate:mode=apply,method=PUT,count=1');
    const before = server.requests.lastId;
    const result = await signed<DossierRecord>(server, desk, { method: 'PUT', path, body: payload });
    expect(result.status).toBe(200);
    expect(result.json.revision).toBe(1);
    const [entry] = await requestsSince(before);
    expect(entry).toMatchObject({ method: 'PUT', applied: 2, faults: ['duplicate-apply'], status: 200 });
    await setFaults('');
  });

  it('answers the change feed with entries already delivered (duplicate answer)', async () => {
    const base = await signed<{ nextCursor: string }>(server, desk, {
      method: 'GET',
      path: '/v1/changes?limit=500',
    });
    const cursor = base.json.nextCursor;
    await admin(server, 'POST', '/v1/admin/changes', {
      kind: 'holidays',
      data: { year: 2027, version: '1', source: 'test', daysOff: ['2027-01-01'], workingDays: [] },
    });
    await setFaults('duplicate:mode=answer,path=/v1/changes,count=1');
    const duplicated = await signed<{ changes: { seq: string }[]; nextCursor: string }>(server, desk, {
      method: 'GET',
      path: `/v1/changes?cursor=${cursor}`,
    });
    const seqs = duplicated.json.changes.map((c) => Number(c.seq));
    expect(seqs.filter((s) => s <= Number(cursor))).toHaveLength(2);
    expect(seqs.filter((s) => s > Number(cursor))).toHaveLength(1);
    expect(Number(duplicated.json.nextCursor)).toBe(Math.max(...seqs));
    await setFaults('');
  });

  it('refuses a bad spec through the admin endpoint with 400 and keeps the old rules', async () => {
    await setFaults('error:count=1,path=/v1/nothing');
    const bad = await admin(server, 'PUT', '/v1/admin/faults', { spec: 'error:status=200' });
    expect(bad.status).toBe(400);
    expect(String(bad.json.message)).toMatch(/500..599/);
    const current = await admin<{ spec: string }>(server, 'GET', '/v1/admin/faults');
    expect(current.json.spec).toBe('error:count=1,path=/v1/nothing');
    await setFaults('');
  });

  it('signature and faults compose: an injected 503 does not burn the nonce', async () => {
    await setFaults('error:count=1,path=/v1/changes');
    const prepared = prepareSigned(desk, { method: 'GET', path: '/v1/changes' });
    const send = () => fetch(`${server.url}/v1/changes`, { headers: prepared.headers });
    expect((await send()).status).toBe(503);
    // The request never reached authentication, so its retry with the same signature is still fresh.
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(401);
    await setFaults('');
  });
});

describe('provincial server as a process (npm run provincial-server)', () => {
  it('prints its URL and admin token, honours --enrol-code and --faults, and stops on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'motcua-provincial-cli-'));
    const child = spawn(
      process.execPath,
      [
        join(process.cwd(), 'node_modules/tsx/dist/cli.mjs'),
        'tests/provincial/server.ts',
        '--port',
        '0',
        '--data',
        dataDir,
        '--enrol-code',
        'CLI-CODE-0001',
        '--admin-token',
        'admin-secret-token',
        '--faults',
        'error:status=502,count=1,path=/v1/health',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const line = await new Promise<string>((resolveLine, reject) => {
        const timer = setTimeout(() => reject(new Error('server did not start')), 20_000);
        createInterface({ input: child.stdout }).once('line', (text) => {
          clearTimeout(timer);
          resolveLine(text);
        });
        child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
      });
      const { url, adminToken } = JSON.parse(line) as { url: string; adminToken: string };
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(adminToken).toBe('admin-secret-token');
      expect((await fetch(`${url}/v1/health`)).status).toBe(502);
      expect((await probeProvincialServer(url)).reachable).toBe(true);
      const enrolled = await fetch(`${url}/v1/enrol`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code: 'CLI-CODE-0001', deskName: 'Quầy thử' }),
      });
      expect(enrolled.status).toBe(200);
      const exited = new Promise<number | null>((resolveExit) => child.once('exit', resolveExit));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
