/** `MOTCUA_PROVINCIAL_URL` through the real CLI: it wins after enrolment (doctor, sync); a bad one is Vietnamese. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../../electron/services/store/store';
import { issueEnrolCode, queueDossiers, runMotcua, startSyncServer } from '../../support/sync-fixtures';

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

// Async: the reference server runs in this process and must answer while the CLI waits.
/** The desk's admin, made first: enroll, sync and queue go through the call gate and need an account. */
let admin = '';
const GATED = new Set(['enroll', 'sync', 'queue']);
const motcua = (dataDir: string, args: string[], env: Record<string, string> = {}) =>
  runMotcua(GATED.has(args[0] ?? '') ? [...args, '--clerk', admin] : args, dataDir, {
    env: { MOTCUA_PROVINCIAL_URL: '', MOTCUA_CLERK_PIN: '2468', ...env },
    timeoutMs: 90_000,
  });

const TRACE = /ZodError|invalid_format|\n\s+at |\.ts:\d+/;

describe('MOTCUA_PROVINCIAL_URL', () => {
  it('wins over the enrolled address for doctor and sync; a bad value names the variable', {
    timeout: 240_000,
  }, async () => {
    const server = await startSyncServer();
    cleanup.push(() => server.stop());
    const dataDir = mkdtempSync(join(tmpdir(), 'motcua-url-override-'));
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const added = await motcua(dataDir, [
      'clerk',
      'add',
      '--name',
      'Nguyễn Văn An',
      '--role',
      'admin',
      '--json',
    ]);
    expect(added.code, added.stderr).toBe(0);
    admin = JSON.parse(added.stdout).id;
    // Enrolled, then the province moved: the stored address and config.json now point at a closed port.
    const enrolled = await motcua(dataDir, [
      'enroll',
      '--server',
      server.url,
      '--code',
      await issueEnrolCode(server),
    ]);
    expect(enrolled.code, enrolled.stderr).toBe(0);
    await queueDossiers(dataDir, 1, { pages: 1, components: 1, pageSize: 'small', seed: 3 });
    const store = openStore(dataDir);
    store.db.prepare("UPDATE sync_credentials SET server_url = 'http://127.0.0.1:9'").run();
    store.close();
    const configured = 'http://127.0.0.1:9';
    const configFile = join(dataDir, 'config.json');
    const config = JSON.parse(readFileSync(configFile, 'utf8'));
    writeFileSync(configFile, JSON.stringify({ ...config, provincialServerUrl: configured }));

    // Without the variable, the dead enrolled address: nothing goes, the dossier stays.
    const stuck = await motcua(dataDir, ['sync', '--once', '--json']);
    expect(JSON.parse(stuck.stdout).state.pending).toBe(1);

    const env = { MOTCUA_PROVINCIAL_URL: server.url };
    const doctor = await motcua(dataDir, ['doctor', '--json'], env);
    const provincial = JSON.parse(doctor.stdout).checks.find((c: { id?: string; label?: string }) =>
      JSON.stringify(c).includes(server.url),
    );
    expect(provincial?.level, doctor.stdout).toBe('ok');

    const synced = await motcua(dataDir, ['sync', '--once', '--json'], env);
    expect(synced.code, synced.stderr).toBe(0);
    expect(JSON.parse(synced.stdout).state.pending).toBe(0);

    for (const bad of ['not a url', 'ftp://tinh.gov.vn']) {
      for (const args of [['sync', '--once'], ['queue'], ['doctor']]) {
        const run = await motcua(dataDir, args, { MOTCUA_PROVINCIAL_URL: bad });
        const output = `${run.stdout}${run.stderr}`;
        expect(run.code, `${args[0]}: ${output}`).toBe(1);
        expect(output).toContain('MOTCUA_PROVINCIAL_URL');
        expect(output).toContain(bad);
        expect(output).not.toMatch(TRACE);
      }
    }
  });
});
