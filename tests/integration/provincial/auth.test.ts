import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeProvincialServer } from '../../../electron/services/sync/connectivity';
import { AUTH_HEADERS, type EnrolResponse } from '../../../electron/services/sync/protocol';
import {
  admin,
  enrol,
  prepareSigned,
  sendPrepared,
  sha256,
  signed,
  startTestServer,
  type TestServer,
} from './helpers';

describe('provincial server: enrolment and signed requests', () => {
  let server: TestServer;
  let desk: EnrolResponse;

  beforeAll(async () => {
    server = await startTestServer({ enrolCodes: ['QUAY-0001-TEST'] });
    desk = await enrol(server);
  });
  afterAll(() => server.stop());

  it('answers the health probe without authentication', async () => {
    const probe = await probeProvincialServer(server.url);
    expect(probe.reachable).toBe(true);
    const response = await fetch(`${server.url}/v1/health`);
    expect(await response.json()).toMatchObject({ ok: true, protocol: 'v1' });
  });

  it('accepts an enrolment code exactly once', async () => {
    const enrolWith = (code: string) =>
      fetch(`${server.url}/v1/enrol`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code, deskName: 'Quầy 2' }),
      });
    const first = await enrolWith('QUAY-0001-TEST');
    expect(first.status).toBe(200);
    const creds = (await first.json()) as EnrolResponse;
    expect(creds.deviceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Buffer.from(creds.secret, 'base64url')).toHaveLength(32);
    expect(creds.MaCoQuan).toBe('000.17.22.H56');

    const second = await enrolWith('QUAY-0001-TEST');
    expect(second.status).toBe(403);
    expect(await second.json()).toMatchObject({ error: 'enrolment-code-invalid' });
    const unknown = await enrolWith('NOT-A-REAL-CODE');
    expect(unknown.status).toBe(403);
    expect(await unknown.json()).toMatchObject({ error: 'enrolment-code-invalid' });
  });

  it('gives each desk its own slot and dossier-code range', async () => {
    const other = await enrol(server, 'Quầy 3');
    expect(other.deskSlot).not.toBe(desk.deskSlot);
  });

  it('accepts a correctly signed request', async () => {
    const result = await signed(server, desk, { method: 'GET', path: '/v1/changes?cursor=0' });
    expect(result.status).toBe(200);
    expect(result.json).toHaveProperty('changes');
  });

  it('refuses a replayed request (same nonce)', async () => {
    const prepared = prepareSigned(desk, { method: 'GET', path: '/v1/changes?cursor=0' });
    expect((await sendPrepared(server, 'GET', '/v1/changes?cursor=0', prepared)).status).toBe(200);
    const replay = await sendPrepared(server, 'GET', '/v1/changes?cursor=0', prepared);
    expect(replay.status).toBe(401);
    expect(replay.json.error).toBe('auth-replayed-nonce');
  });

  it('refuses a tampered body, path or signature', async () => {
    const path = '/v1/citizen-documents/lookup';
    const prepared = prepareSigned(desk, {
      method: 'POST',
      path,
      body: { SoGiayTo: '038192004517', MaTTHC: '1.001193' },
    });
    const otherBody = await sendPrepared(server, 'POST', path, {
      ...prepared,
      body: JSON.stringify({ SoGiayTo: '038192004518', MaTTHC: '1.001193' }),
    });
    expect(otherBody.status).toBe(401);
    expect(otherBody.json.error).toBe('auth-body-mismatch');

    // Body hash header recomputed by the attacker: the signature no longer matches.
    const forgedBody = JSON.stringify({ SoGiayTo: '038192004518', MaTTHC: '1.001193' });
    const forged = await sendPrepared(server, 'POST', path, {
      headers: {
        ...prepared.headers,
        [AUTH_HEADERS.contentSha256]: sha256(forgedBody),
      },
      body: forgedBody,
    });
    expect(forged.status).toBe(401);
    expect(forged.json.error).toBe('auth-bad-signature');

    const signedForChanges = prepareSigned(desk, { method: 'GET', path: '/v1/changes?cursor=0' });
    const otherPath = await sendPrepared(server, 'GET', '/v1/changes?cursor=1', signedForChanges);
    expect(otherPath.json.error).toBe('auth-bad-signature');

    const badSignature = prepareSigned(desk, { method: 'GET', path: '/v1/changes' });
    badSignature.headers[AUTH_HEADERS.signature] = '0'.repeat(64);
    expect((await sendPrepared(server, 'GET', '/v1/changes', badSignature)).json.error).toBe(
      'auth-bad-signature',
    );
  });

  it('refuses a request signed more than 5 minutes away from the server clock, and says the server time', async () => {
    const stale = await signed(server, desk, {
      method: 'GET',
      path: '/v1/changes',
      now: new Date(Date.now() - 6 * 60 * 1000),
    });
    expect(stale.status).toBe(401);
    expect(stale.json.error).toBe('auth-stale-timestamp');
    expect(Math.abs((stale.json.serverTime as number) - Date.now() / 1000)).toBeLessThan(5);
    const future = await signed(server, desk, {
      method: 'GET',
      path: '/v1/changes',
      now: new Date(Date.now() + 6 * 60 * 1000),
    });
    expect(future.json.error).toBe('auth-stale-timestamp');
    const slightlyOff = await signed(server, desk, {
      method: 'GET',
      path: '/v1/changes',
      now: new Date(Date.now() - 4 * 60 * 1000),
    });
    expect(slightlyOff.status).toBe(200);
  });

  it('refuses unsigned requests and unknown devices', async () => {
    const unsigned = await fetch(`${server.url}/v1/changes`);
    expect(unsigned.status).toBe(401);
    expect(await unsigned.json()).toMatchObject({ error: 'auth-missing' });
    const stranger = await signed(
      server,
      { ...desk, deviceId: '00000000-0000-4000-8000-000000000000' },
      { method: 'GET', path: '/v1/changes' },
    );
    expect(stranger.json.error).toBe('auth-unknown-device');
    const wrongSecret = await signed(
      server,
      { ...desk, secret: Buffer.alloc(32, 7).toString('base64url') },
      { method: 'GET', path: '/v1/changes' },
    );
    expect(wrongSecret.json.error).toBe('auth-bad-signature');
  });

  it('refuses admin calls without the admin token', async () => {
    const response = await fetch(`${server.url}/v1/admin/dossiers`, {
      headers: { authorization: 'Bearer nope' },
    });
    expect(response.status).toBe(401);
  });

  it('answers a revoked device with device-revoked', async () => {
    const doomed = await enrol(server, 'Quầy cũ');
    expect((await signed(server, doomed, { method: 'GET', path: '/v1/changes' })).status).toBe(200);
    const revoked = await admin(server, 'POST', `/v1/admin/devices/${doomed.deviceId}/revoke`);
    expect(revoked.status).toBe(200);
    const refused = await signed(server, doomed, { method: 'GET', path: '/v1/changes' });
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({ error: 'device-revoked', revokedAt: revoked.json.revokedAt });
    // The other desk is unaffected.
    expect((await signed(server, desk, { method: 'GET', path: '/v1/changes' })).status).toBe(200);
  });
});
