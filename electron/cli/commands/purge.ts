import { join } from 'node:path';
import { format, vi } from '../../api/i18n';
import { loadConfig } from '../../services/config/config';
import { resolveDataDir } from '../../services/config/data-dir';
import { createLogger } from '../../services/logging/logger';
import { purgeExpiredDossiers } from '../../services/security/retention';
import { openStore } from '../../services/store/store';
import { type Command, EXIT_OK } from '../command';

const t = vi.security.purge;

/** `motcua purge [--dry-run] [--json]`: the retention purge the desk also runs daily. */
export const purgeCommand: Command = {
  name: 'purge',
  summary: t.summary,
  usage: 'motcua purge [--dry-run] [--json]',
  options: { 'dry-run': { type: 'boolean', default: false } },
  positionals: { min: 0, max: 0 },
  async run({ values, env, stdout }) {
    const dataDir = resolveDataDir(env);
    const store = openStore(dataDir, { env });
    try {
      const config = loadConfig(dataDir, env);
      const logger = createLogger({ dir: join(dataDir, 'logs'), echo: false, scope: 'purge' });
      const report = purgeExpiredDossiers(store, {
        retentionDays: config.security.retentionDays,
        dryRun: Boolean(values['dry-run']),
        logger,
      });
      if (values.json) {
        stdout(`${JSON.stringify({ retentionDays: config.security.retentionDays, ...report }, null, 2)}\n`);
        return EXIT_OK;
      }
      if (!report.available) stdout(`${t.unavailable}\n`);
      else if (report.resumed > 0) stdout(`${format(t.resumed, { count: report.resumed })}\n`);
      if (!report.available) return EXIT_OK;
      if (report.dossiers === 0) stdout(`${format(t.nothing, { days: config.security.retentionDays })}\n`);
      else if (report.dryRun)
        stdout(
          `${format(t.dryRun, { dossiers: report.dossiers, files: report.dossierFiles, pages: report.scanPages })}\n`,
        );
      else
        stdout(
          `${format(t.done, { dossiers: report.dossiers, blobs: report.blobsDeleted, cutoff: report.cutoff.slice(0, 10) })}\n`,
        );
      return EXIT_OK;
    } finally {
      store.close();
    }
  },
};
