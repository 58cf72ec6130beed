import { format, vi } from '../../api/i18n';
import { EXIT_OK } from '../command';
import { gatedCommand } from '../desk-session';

const t = vi.security.purge;

/** `motcua purge [--dry-run] [--json]`: the retention purge the desk also runs daily (IT account). */
export const purgeCommand = gatedCommand({
  name: 'purge',
  summary: t.summary,
  usage: 'motcua purge [--dry-run] [--json]',
  options: { 'dry-run': { type: 'boolean', default: false } },
  positionals: { min: 0, max: 0 },
  async run({ values, stdout }, desk) {
    const report = await desk.call('purgeExpired', { dryRun: Boolean(values['dry-run']) });
    if (values.json) {
      stdout(`${JSON.stringify(report, null, 2)}\n`);
      return EXIT_OK;
    }
    if (!report.available) stdout(`${t.unavailable}\n`);
    else if (report.resumed > 0) stdout(`${format(t.resumed, { count: report.resumed })}\n`);
    if (!report.available) return EXIT_OK;
    if (report.dossiers === 0) stdout(`${format(t.nothing, { days: report.retentionDays })}\n`);
    else if (report.dryRun)
      stdout(
        `${format(t.dryRun, { dossiers: report.dossiers, files: report.dossierFiles, pages: report.scanPages })}\n`,
      );
    else
      stdout(
        `${format(t.done, { dossiers: report.dossiers, blobs: report.blobsDeleted, cutoff: report.cutoff.slice(0, 10) })}\n`,
      );
    return EXIT_OK;
  },
});
