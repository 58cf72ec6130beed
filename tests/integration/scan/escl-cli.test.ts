/**
 * The `motcua` front door with a network scanner named by its eSCL root: `scanners --escl URL` lists it, and
 * `scan --device escl:URL` scans from it into the store and a PDF. The CLI runs in a child process (async:
 * the simulator answers from this one), bounded in time.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { vi as messages } from '../../../electron/api/i18n';
import { type EsclSimulator, startEsclSimulator } from '../../support/escl-simulator';
import { pdfInfo } from '../../support/poppler';
import { REPO_ROOT, tempDir } from './helpers';

/** A data dir whose first account (the admin) signs in to `motcua scan`, a gated command. */
async function signedInDesk(): Promise<{ dataDir: string; clerk: string[] }> {
  const dataDir = tempDir();
  const added = await motcua(['clerk', 'add', '--name', 'Nguyễn Văn An', '--role', 'admin', '--json'], {
    MOTCUA_DATA_DIR: dataDir,
  });
  expect(added.code, added.stderr).toBe(0);
  return { dataDir, clerk: ['--clerk', JSON.parse(added.stdout).id as string] };
}

function motcua(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'motcua.mjs'), ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, MOTCUA_CLERK_PIN: '2468', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const deadline = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(deadline);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('motcua with an eSCL scanner', () => {
  let sim: EsclSimulator | null = null;
  afterEach(async () => {
    await sim?.close();
    sim = null;
  });

  it('lists the scanner named by --escl with its capabilities', async () => {
    sim = await startEsclSimulator({});
    const { code, stdout, stderr } = await motcua(['scanners', '--escl', `${sim.root}/`, '--json'], {
      MOTCUA_DATA_DIR: tempDir(),
    });
    expect(code, stderr).toBe(0);
    const { devices } = JSON.parse(stdout);
    expect(devices).toEqual([
      expect.objectContaining({
        id: `escl:${sim.root}`,
        driver: 'escl',
        model: 'eSCL Simulator',
        capabilities: expect.objectContaining({
          sources: ['flatbed', 'adf', 'duplex'],
          modes: ['color', 'gray', 'bw'],
        }),
      }),
    ]);
  });

  it('scans an ADF batch of 4 pages from escl:URL into a PDF of 4 pages', async () => {
    sim = await startEsclSimulator({ sheets: 4 });
    const { dataDir, clerk } = await signedInDesk();
    const pdf = join(dataDir, 'lo-quet.pdf');
    const args = ['scan', '--device', `escl:${sim.root}`, '--source', 'adf', '--mode', 'gray', ...clerk];
    const { code, stdout, stderr } = await motcua([...args, '--resolution', '150', '--out', pdf, '--json'], {
      MOTCUA_DATA_DIR: dataDir,
    });
    expect(code, stderr).toBe(0);
    const batch = JSON.parse(stdout);
    expect(batch.device.id).toBe(`escl:${sim.root}`);
    expect(batch.pages).toHaveLength(4);
    expect(batch.pages[0]).toMatchObject({ width: 1240, height: 1754, channels: 1, dpi: 150 });
    // Read back by poppler: 4 A4 pages (595 × 842 pt).
    const info = await pdfInfo(readFileSync(pdf));
    expect(info.pages).toBe(4);
    expect(info.sizes.map((size) => [Math.round(size.width), Math.round(size.height)])).toEqual(
      Array(4).fill([595, 842]),
    );
  });

  it('prints the jam message and keeps the pages before it', async () => {
    sim = await startEsclSimulator({ sheets: 4, jamAtPage: 2 });
    const { dataDir, clerk } = await signedInDesk();
    const { code, stderr } = await motcua(
      ['scan', '--device', `escl:${sim.root}`, '--source', 'adf', ...clerk],
      {
        MOTCUA_DATA_DIR: dataDir,
      },
    );
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(messages.scan.errors.jammed);
  });

  it('says an unusable address in Vietnamese', async () => {
    const { code, stderr } = await motcua(['scanners', '--escl', 'ftp://may-quet'], {
      MOTCUA_DATA_DIR: tempDir(),
    });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(messages.escl.errors['escl-bad-address']);
  });
});
