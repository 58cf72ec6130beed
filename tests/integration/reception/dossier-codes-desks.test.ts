import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../../electron/services/audit/audit-log';
import { parseDossierCode } from '../../../electron/services/dossier/dossier-code';
import { openStore } from '../../../electron/services/store/store';

const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');
const FIXTURE = join(import.meta.dirname, 'fixtures', 'issue-codes.ts');
const AGENCY = '000.17.22.H56';
const PER_DAY = 500;

interface Run {
  issued: string[];
  voided: string[];
  killed: boolean;
}

/** Starts one desk process; SIGKILLs it once it has printed `killAfter` codes (never, when undefined). */
function runDesk(
  dataDir: string,
  slot: number,
  target: number,
  tz: string,
  killAfter?: number,
): Promise<Run> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', FIXTURE, dataDir, AGENCY, String(slot), '3', String(target), String(PER_DAY)],
    { cwd: REPO_ROOT, env: { ...process.env, TZ: tz }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const run: Run = { issued: [], voided: [], killed: false };
  let stderr = '';
  let buffered = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    let nl = buffered.indexOf('\n');
    while (nl >= 0) {
      const [verb, code] = buffered.slice(0, nl).split(' ');
      buffered = buffered.slice(nl + 1);
      if (verb === 'issued' && code) run.issued.push(code);
      if (verb === 'voided' && code) run.voided.push(code);
      if (killAfter !== undefined && run.issued.length === killAfter && !run.killed) {
        run.killed = true;
        child.kill('SIGKILL');
      }
      nl = buffered.indexOf('\n');
    }
  });
  return new Promise((resolve, reject) => {
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' && run.killed) resolve(run);
      else if (code === 0 && killAfter === undefined) resolve(run);
      else reject(new Error(`desk ${slot} ended with ${code ?? signal}: ${stderr}`));
    });
  });
}

/** Several runs of one desk: killed with -9 at the given points, then a last run to the end. */
async function deskLife(dataDir: string, slot: number, target: number, tz: string, kills: number[]) {
  const runs: Run[] = [];
  for (const killAfter of kills) runs.push(await runDesk(dataDir, slot, target, tz, killAfter));
  runs.push(await runDesk(dataDir, slot, target, tz));
  return runs;
}

describe('dossier codes across three desks of one agency', () => {
  it('issues 10,000 codes with kill -9 and restarts: no duplicates, no gaps but voided ones', async () => {
    const desks = [
      { slot: 0, target: 3334, tz: 'Asia/Ho_Chi_Minh', kills: [700, 450, 900] },
      { slot: 1, target: 3333, tz: 'America/New_York', kills: [1100, 300] },
      { slot: 2, target: 3333, tz: 'UTC', kills: [520, 800, 610] },
    ].map((d) => ({ ...d, dataDir: mkdtempSync(join(tmpdir(), `motcua-desk${d.slot}-`)) }));

    const lives = await Promise.all(desks.map((d) => deskLife(d.dataDir, d.slot, d.target, d.tz, d.kills)));

    const everyCode = new Set<string>();
    let total = 0;
    desks.forEach((desk, i) => {
      const runs = lives[i] as Run[];
      expect(runs.filter((r) => r.killed)).toHaveLength(desk.kills.length);
      const store = openStore(desk.dataDir);
      try {
        const { db } = store;
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
        const rows = db.prepare('SELECT * FROM dossier_codes ORDER BY day, seq').all() as {
          code: string;
          day: string;
          seq: number;
          status: string;
          void_reason: string | null;
          dossier_id: string;
        }[];
        expect(rows).toHaveLength(desk.target);
        total += rows.length;
        for (const row of rows) everyCode.add(row.code);

        // Every code a run reported was committed (the report is written after the commit).
        const stored = new Set(rows.map((r) => r.code));
        for (const run of runs) for (const code of run.issued) expect(stored.has(code)).toBe(true);

        // Per day, this desk's numbers run from its slot's first number with no hole.
        const byDay = new Map<string, number[]>();
        for (const row of rows) byDay.set(row.day, [...(byDay.get(row.day) ?? []), row.seq]);
        const days = [...byDay.keys()];
        // Vietnam calendar days whatever the process TZ: 22/05/2026 onwards, PER_DAY codes each.
        expect(days).toEqual(
          Array.from({ length: Math.ceil(desk.target / PER_DAY) }, (_, d) => `2605${String(22 + d)}`),
        );
        for (const seqs of byDay.values()) {
          expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, k) => desk.slot * 1000 + 1 + k));
        }
        for (const row of rows) {
          const parsed = parseDossierCode(row.code);
          expect(parsed).toMatchObject({ agencyCode: AGENCY, sequence: row.seq, dayStamp: row.day });
        }

        // Each code in use belongs to exactly one dossier; a voided one has a reason and no dossier.
        const dossierCodes = db
          .prepare('SELECT code FROM dossiers WHERE code IS NOT NULL')
          .pluck()
          .all() as string[];
        const inUse = rows.filter((r) => r.status === 'issued').map((r) => r.code);
        expect(dossierCodes.sort()).toEqual(inUse.sort());
        const voided = rows.filter((r) => r.status === 'voided');
        for (const row of voided) expect(row.void_reason?.trim()).toBeTruthy();
        // Every 37th number is voided unless the kill fell between the issue and the void.
        const voidable = rows.filter((r) => r.seq % 37 === 0).length;
        expect(voided.length).toBeGreaterThanOrEqual(voidable - desk.kills.length);
        expect(voided.every((r) => r.seq % 37 === 0)).toBe(true);

        const chain = verifyAuditChain(db);
        expect(chain).toMatchObject({ ok: true, entries: rows.length + voided.length });
      } finally {
        store.close();
      }
    });
    expect(total).toBe(10_000);
    expect(everyCode.size).toBe(10_000);
  }, 120_000);
});
