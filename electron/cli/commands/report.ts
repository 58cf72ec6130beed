import { format, vi } from '../../api/i18n';
import { dayOption, EXIT_OK } from '../command';
import { gatedCommand } from '../desk-session';

const t = vi.reception.cli;

/**
 * `motcua report prefill`: per procedure form, fields the desk pre-filled from digitized data (ID card QR, OCR)
 * versus fields the clerk typed — the directive's "declare at least 20 % less" measured where it happens.
 * Counts only, so any signed-in account (the IT officer too) may make it.
 */
export const reportPrefillCommand = gatedCommand({
  name: 'report prefill',
  summary: t.prefillSummary,
  usage: 'motcua report prefill [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--json]',
  options: { from: { type: 'string' }, to: { type: 'string' } },
  positionals: { min: 0, max: 0 },
  async run({ values, stdout }, desk) {
    const from = dayOption('--from', values.from);
    const to = dayOption('--to', values.to);
    const rows = await desk.call('prefillReport', { ...(from ? { from } : {}), ...(to ? { to } : {}) });
    if (values.json) {
      stdout(`${JSON.stringify(rows)}\n`);
      return EXIT_OK;
    }
    if (rows.length === 0) stdout(`${t.prefillEmpty}\n`);
    for (const row of rows) {
      const total = row.prefilled + row.typed;
      stdout(
        `${format(t.prefillLine, {
          code: row.procedureCode,
          name: row.procedureName,
          dossiers: row.dossiers,
          prefilled: row.prefilled,
          typed: row.typed,
          percent: total === 0 ? 0 : Math.round((row.prefilled / total) * 100),
        })}\n`,
      );
    }
    return EXIT_OK;
  },
});
