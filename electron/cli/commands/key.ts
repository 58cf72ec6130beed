import { format, vi } from '../../api/i18n';
import { resolveDataDir } from '../../services/config/data-dir';
import { rotateDataKey } from '../../services/store/key-rotation';
import { EXIT_OK } from '../command';
import { gatedCommand } from '../desk-session';

const t = vi.security.key;

/**
 * `motcua key status [--seal] [--json]` (IT account): where the data key comes from (never the key itself), and
 * how many blob files are sealed; `--seal` seals the clear ones in place (crash-safe, per file).
 */
export const keyStatusCommand = gatedCommand({
  name: 'key status',
  summary: t.summary,
  usage: 'motcua key status [--seal] [--json]',
  options: { seal: { type: 'boolean', default: false } },
  positionals: { min: 0, max: 0 },
  async run({ values, env, stdout }, desk) {
    const status = await desk.call('getKeyStatus', { seal: Boolean(values.seal) });
    if (values.json) {
      stdout(`${JSON.stringify({ dataDir: resolveDataDir(env), ...status }, null, 2)}\n`);
      return EXIT_OK;
    }
    if (values.seal) stdout(`${format(t.sealed, { sealed: status.sealedNow })}\n`);
    stdout(
      `${format(t.status, {
        source: status.source,
        file: status.keyFile ? ` (${status.keyFile})` : '',
        sealed: status.sealed,
        clear: status.clear,
      })}\n`,
    );
    return EXIT_OK;
  },
});

/**
 * `motcua key rotate [--json]` (IT account, desk closed): new data key, database rekeyed, every blob re-sealed;
 * safe to kill, the next open or run finishes it. Key-file desks only; safeStorage desks rotate from the app.
 * The desk's beginKeyRotation call checks the account (IT or admin) and records the rotation under it; the
 * rotation itself runs once the desk has closed its database, as it must.
 */
export const keyRotateCommand = gatedCommand({
  name: 'key rotate',
  summary: t.rotateSummary,
  usage: 'motcua key rotate [--json]',
  options: {},
  positionals: { min: 0, max: 0 },
  async run({ values, env, stdout }, desk) {
    await desk.call('beginKeyRotation');
    const dataDir = resolveDataDir(env);
    const { resealedBlobs } = await desk.afterClose(() => rotateDataKey(dataDir, { env }));
    stdout(
      values.json
        ? `${JSON.stringify({ dataDir, rotated: true, resealedBlobs }, null, 2)}\n`
        : `${format(t.rotated, { blobs: resealedBlobs })}\n`,
    );
    return EXIT_OK;
  },
});
