import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { locateLibsane } from '../../../native/sane/locate';
import { format, vi } from '../../api/i18n';
import { deskConfigSchema, loadConfig } from '../../services/config/config';
import { resolveDataDir } from '../../services/config/data-dir';
import { startupErrorMessage } from '../../services/desk/startup-error';
import { languageModel, missingLanguages } from '../../services/ocr/language-data';
import { probeNetworkPath, readExtraCaCertificates } from '../../services/security/network-path';
import { writeFileAtomic } from '../../services/store/files';
import { freeBytes } from '../../services/store/storage-errors';
import { probeProvincialServer } from '../../services/sync/connectivity';
import { APP_VERSION } from '../../services/version';
import { type Command, EXIT_FAILURE, EXIT_OK } from '../command';
import { withDesk } from '../desk-session';

type Level = 'ok' | 'warn' | 'fail';
interface Check {
  id: string;
  level: Level;
  label: string;
  /** Vietnamese, for IT staff. */
  message: string;
  /** English technical detail, when there is one. */
  detail?: string;
}

const GiB = 1024 ** 3;
const DISK_WARN_BYTES = 2 * GiB;

const formatBytes = (bytes: number) => `${(bytes / GiB).toFixed(1)} GB`;

export async function runChecks(dataDir: string, env: NodeJS.ProcessEnv, full = false): Promise<Check[]> {
  const checks: Check[] = [];
  const add = (id: string, level: Level, message: string, detail?: string) =>
    checks.push({
      id,
      level,
      label: id === 'network' ? vi.network.label : vi.doctor[id as keyof typeof vi.doctor],
      message,
      ...(detail ? { detail } : {}),
    });

  try {
    const probe = join(dataDir, `.doctor-${process.pid}`);
    writeFileAtomic(probe, 'ok');
    rmSync(probe);
    add('dataDir', 'ok', format(vi.doctor.dataDirOk, { path: dataDir }));
  } catch (error) {
    add('dataDir', 'fail', format(vi.doctor.dataDirFail, { path: dataDir }), (error as Error).message);
  }

  try {
    // The desk opens as the app would (key, migrations); no sign-in: no one's data is read here.
    const { version, report } = await withDesk(env, async (desk) => ({
      version: (await desk.call('getStoreInfo')).schemaVersion,
      report: await desk.call('checkStoreIntegrity', { full }),
    }));
    if (!report.database.ok)
      add('database', 'fail', vi.store.runtimeErrors.damaged, report.database.problems.join('; '));
    else add('database', 'ok', format(vi.doctor.databaseOk, { version }));
    const { total, checked, bad } = report.blobs;
    if (bad.length > 0)
      add(
        'files',
        'fail',
        format(vi.doctor.filesBad, { bad: bad.length, checked }),
        bad.slice(0, 5).join(', '),
      );
    else add('files', 'ok', format(vi.doctor.filesOk, { checked, total }));
  } catch (error) {
    // The same words the app would show (a key it cannot use, a newer or damaged database…).
    add('database', 'fail', startupErrorMessage(error) ?? vi.doctor.databaseFail, (error as Error).message);
  }

  let config: ReturnType<typeof loadConfig> | null = null;
  let configError: Error | null = null;
  try {
    config = loadConfig(dataDir, env);
  } catch (error) {
    configError = error as Error;
  }

  // The same reading of free space as the desk's reserve check (store/storage-errors.ts).
  const free = freeBytes(dataDir);
  if (free === null) add('disk', 'warn', vi.doctor.disk);
  else {
    // Below the desk's reserve it takes no new scans: that is a failure, not a warning.
    const reserve = (config?.storage.reserveMb ?? deskConfigSchema.parse({}).storage.reserveMb) * 1024 * 1024;
    const level: Level = free < reserve ? 'fail' : free < DISK_WARN_BYTES ? 'warn' : 'ok';
    const message =
      level === 'ok'
        ? format(vi.doctor.diskOk, { free: formatBytes(free) })
        : format(vi.doctor.diskLow, { free: formatBytes(free), min: formatBytes(DISK_WARN_BYTES) });
    add('disk', level, message);
  }

  const libsane = locateLibsane(env);
  if (libsane) add('scanner', 'ok', format(vi.doctor.scannerOk, { library: libsane }));
  else add('scanner', 'warn', vi.doctor.scannerMissing);

  if (configError)
    add('provincial', 'fail', startupErrorMessage(configError) ?? vi.doctor.provincial, configError.message);
  const languages = config?.ocr.languages ?? deskConfigSchema.parse({}).ocr.languages;
  const missing = missingLanguages(languages, env);
  if (missing.length === 0) {
    // Each language with the model it would run on, so IT staff can tell which data a desk reads.
    const models = await Promise.all(languages.map((lang) => languageModel(lang, env)));
    const named = languages.map((lang, i) => `${lang} (${models[i]?.name ?? '?'})`);
    const files = models.map((m) => m?.file ?? '').join(', ');
    add('ocrData', 'ok', format(vi.doctor.ocrOk, { languages: named.join(', ') }), files);
  } else add('ocrData', 'fail', format(vi.doctor.ocrMissing, { languages: missing.join(', ') }));

  if (config) {
    const url = config.provincialServerUrl;
    if (!url) add('provincial', 'warn', vi.doctor.provincialNotConfigured);
    else {
      const extra = readExtraCaCertificates(config.network.extraCaFiles);
      if (extra.unreadable.length > 0)
        add('network', 'fail', format(vi.network.caUnreadable, { files: extra.unreadable.join(', ') }));
      const path = await probeNetworkPath(url, {
        extraCa: extra.pems,
        pinnedSpkiSha256: config.security.pinnedSpkiSha256,
      });
      const stepNames = vi.network.steps;
      if (path.ok)
        add(
          'network',
          'ok',
          format(vi.network.ok, { steps: path.steps.map((s) => stepNames[s]).join(', '), ms: path.ms }),
        );
      else
        add(
          'network',
          'fail',
          format(vi.network.failed, { step: stepNames[path.failedStep], detail: path.detail }),
        );
      const result = await probeProvincialServer(url);
      if (result.reachable) add('provincial', 'ok', format(vi.doctor.provincialOk, { url, ms: result.ms }));
      else
        add(
          'provincial',
          'warn',
          format(vi.doctor.provincialUnreachable, { url, reason: result.reason ?? '' }),
        );
    }
  }
  return checks;
}

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'Kiểm tra máy: thư mục dữ liệu, cơ sở dữ liệu, đĩa, máy quét, dữ liệu OCR, máy chủ tỉnh',
  usage: 'motcua doctor [--full] [--json]',
  options: { full: { type: 'boolean', default: false } },
  positionals: { min: 0, max: 0 },
  async run({ values, env, stdout }) {
    const dataDir = resolveDataDir(env);
    const checks = await runChecks(dataDir, env, values.full === true);
    const healthy = checks.every((c) => c.level !== 'fail');
    if (values.json) {
      stdout(`${JSON.stringify({ version: APP_VERSION, dataDir, healthy, checks }, null, 2)}\n`);
    } else {
      stdout(`${vi.cli.doctorTitle} — MotCua Desk ${APP_VERSION}\n`);
      for (const check of checks) {
        const detail = check.detail ? ` (${check.detail})` : '';
        stdout(`  [${vi.cli.levels[check.level].padEnd(5)}] ${check.label}: ${check.message}${detail}\n`);
      }
    }
    return healthy ? EXIT_OK : EXIT_FAILURE;
  },
};
