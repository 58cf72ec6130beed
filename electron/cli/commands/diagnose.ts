import { join } from 'node:path';
import { format, vi } from '../../api/i18n';
import { resolveDataDir } from '../../services/config/data-dir';
import { Desk } from '../../services/desk/desk';
import { buildDiagnosticsBundle } from '../../services/desk/diagnostics-bundle';
import { createLogger } from '../../services/logging/logger';
import { writeFileAtomicAsync } from '../../services/store/files';
import { type Command, EXIT_OK, UsageError } from '../command';
import { runChecks } from './doctor';

const t = vi.diagnose;

export const diagnoseCommand: Command = {
  name: 'diagnose',
  summary: t.summary,
  usage: 'motcua diagnose --out TỆP.zip [--json]',
  options: { out: { type: 'string' } },
  positionals: { min: 0, max: 0 },
  async run({ values, env, stdout }) {
    const out = typeof values.out === 'string' ? values.out : '';
    if (!out.toLowerCase().endsWith('.zip')) throw new UsageError(t.outRequired);
    const dataDir = resolveDataDir(env);
    const doctor = await runChecks(dataDir, env);
    const logger = createLogger({ dir: join(dataDir, 'logs'), echo: false });
    const desk = new Desk({ dataDir, env, logger, networkPollMs: 0 });
    try {
      const bundle = await buildDiagnosticsBundle(desk, dataDir, {
        doctor,
        checkUpdates: env.MOTCUA_DIAGNOSE_OFFLINE !== '1',
      });
      await writeFileAtomicAsync(out, bundle);
      if (values.json) stdout(`${JSON.stringify({ file: out, bytes: bundle.length })}\n`);
      else stdout(`${format(t.written, { file: out, size: Math.ceil(bundle.length / 1024) })}\n`);
      return EXIT_OK;
    } finally {
      await desk.close();
    }
  },
};
