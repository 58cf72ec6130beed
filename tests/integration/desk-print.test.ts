import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { vi } from '../../electron/api/i18n';
import { Desk, type DeskOptions } from '../../electron/services/desk/desk';
import { silentLogger } from '../../electron/services/logging/logger';
import { value } from '../support/desk-call';
import { pdfText } from '../support/poppler';

/**
 * Printing is a desk call (issue #16): validated, clerk only, the form the desk keeps. A front door without a
 * printer (the web host) gets the PDF back with `printed: null`; one with a printer (Electron's main process
 * lends `webContents.print`, electron/main/print-pdf.ts) gets the PDF handed to it.
 */
const applicant = { fullName: 'Lê Thị Hồng Nhung', idNumber: '038192004517' };
const opened: { desk: Desk; dir: string }[] = [];
afterEach(async () => {
  for (const { desk, dir } of opened.splice(0)) {
    await desk.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

async function refusedDossier(options: Partial<DeskOptions> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'motcua-print-'));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ agencyCode: '000.17.22.H56', deskSlot: 0 }));
  const desk = new Desk({ dataDir: dir, networkPollMs: 0, logger: silentLogger, ...options });
  opened.push({ desk, dir });
  await value(desk.call('setupFirstAdmin', { name: 'Nguyễn Văn An', pin: '1357' }));
  const draft = await value(desk.call('startReception', { procedureCode: '1.001193', applicant }));
  const refused = await value(
    desk.call('refuseDossier', { dossierId: draft.dossierId, reason: 'Không thuộc thẩm quyền của xã' }),
  );
  return { desk, dossierId: draft.dossierId, pdfBase64: refused.pdfBase64 };
}

describe('printForm', () => {
  it('answers with the kept form and printed null where the front door has no printer', async () => {
    const { desk, dossierId, pdfBase64 } = await refusedDossier();
    const printed = await value(desk.call('printForm', { dossierId, form: 'refusal' }));
    expect(printed).toEqual({ pdfBase64, printed: null });
    expect(pdfText(Buffer.from(printed.pdfBase64, 'base64')).replace(/\s+/g, ' ')).toContain(
      'Không thuộc thẩm quyền của xã',
    );
  });

  it("hands the same PDF to the front door's printer and reports what it said", async () => {
    const handed: Buffer[] = [];
    const { desk, dossierId, pdfBase64 } = await refusedDossier({
      printer: async (pdf) => {
        handed.push(Buffer.from(pdf));
        return { printed: handed.length === 1 };
      },
    });
    expect(await value(desk.call('printForm', { dossierId, form: 'refusal' }))).toMatchObject({
      printed: true,
    });
    // The clerk cancelled the dialog the second time: not an error.
    expect(await value(desk.call('printForm', { dossierId, form: 'refusal' }))).toMatchObject({
      printed: false,
    });
    expect(handed.map((b) => b.toString('base64'))).toEqual([pdfBase64, pdfBase64]);
  });

  it('a printer failure is a Vietnamese message, the form stays', async () => {
    const { desk, dossierId } = await refusedDossier({
      printer: async () => {
        throw new Error('printer went away');
      },
    });
    const failed = await desk.call('printForm', { dossierId, form: 'refusal' });
    expect(failed).toEqual({ ok: false, error: { code: 'unavailable', message: vi.gate.printFailed } });
    expect((await value(desk.call('getDossierForm', { dossierId, form: 'refusal' }))).pdfBase64).toMatch(
      /^JVBER/,
    );
  });

  it('is checked like every call: input schema, a signed-in clerk, never an IT account', async () => {
    const { desk, dossierId } = await refusedDossier();
    const bad = await desk.call('printForm', { dossierId, form: 'invoice' } as never);
    expect(bad.ok === false && bad.error.code).toBe('invalid-input');
    const it = await value(desk.call('createClerk', { name: 'Cán bộ CNTT', pin: '2468', role: 'it' }));
    await value(desk.call('signOut', undefined));
    const anonymous = await desk.call('printForm', { dossierId, form: 'refusal' });
    expect(anonymous).toEqual({
      ok: false,
      error: { code: 'forbidden', message: vi.reception.clerks.notSignedIn },
    });
    await value(desk.call('signIn', { clerkId: it.id, pin: '2468' }));
    const itAccount = await desk.call('printForm', { dossierId, form: 'refusal' });
    expect(itAccount).toEqual({ ok: false, error: { code: 'forbidden', message: vi.gate.clerkWorkOnly } });
  });
});
